from flask import request


def transfer():
    return request.form["amount"]
