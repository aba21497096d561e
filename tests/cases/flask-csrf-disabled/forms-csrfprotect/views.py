from flask import request

from app import app


@app.route("/transfer", methods=["POST"])
def transfer():
    return request.form["amount"]
