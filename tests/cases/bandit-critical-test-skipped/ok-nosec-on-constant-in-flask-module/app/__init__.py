from flask import Flask

from app.crypto import CENSORED


def create_app():
    app = Flask(__name__)
    app.config["CENSORED"] = CENSORED
    return app
