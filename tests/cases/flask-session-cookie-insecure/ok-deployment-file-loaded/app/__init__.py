import os

from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config.from_object("app.config.ProductionConfig")
    # The deployment's own file (`/etc/app/app.cfg`) sets what the classes leave out.
    config_file = os.environ.get("APP_CONFIGFILE", "/etc/app/app.cfg")
    app.config.from_pyfile(config_file, silent=True)
    return app
