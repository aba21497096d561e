from flask import Flask
from flask_login import LoginManager


def create_app(config="myapp.config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config)
    LoginManager(app)
    return app
