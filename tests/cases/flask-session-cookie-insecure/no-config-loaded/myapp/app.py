"""No configuration is loaded: Flask's default (SESSION_COOKIE_SECURE False) applies."""
from flask import Flask
from flask_login import LoginManager


def create_app():
    app = Flask(__name__)
    LoginManager(app)
    return app
