"""A Flask subclass creates the application, and the views keep the user in the session."""
import os

from flask import Flask, session
from flask_jwt_extended import JWTManager

jwt = JWTManager()


class CustomFlask(Flask):
    pass


def create_app():
    app = CustomFlask(__name__)
    app.config.from_object(os.getenv("APP_SETTINGS", "app.config.ProductionConfig"))
    jwt.init_app(app)
    return app
