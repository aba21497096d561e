"""FlaskBB's shape: the deployment's configuration file is written by a setup command and
loaded from a path known only at run time."""
from flask import Flask
from flask_login import LoginManager


def create_app(config_path):
    app = Flask(__name__)
    app.config.from_pyfile(config_path)
    LoginManager(app)
    return app
