"""fittrackee's shape: an API that authenticates with JWT cookies (flask_jwt_extended) and
never writes Flask's session, so no session cookie is ever sent."""
import os

from flask import Flask
from flask_jwt_extended import JWTManager

jwt = JWTManager()


class CustomFlask(Flask):
    pass


def create_app():
    app = CustomFlask(__name__)
    app.config.from_object(os.getenv("APP_SETTINGS", "app.config.ProductionConfig"))
    jwt.init_app(app)
    return app
