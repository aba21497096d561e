"""lemur's shape: the app factory execs its configuration file on purpose, with a reason; the
`# nosec` is on code, not on a setting. Only the literal key below is a hidden finding."""
import os

from flask import Flask

SECRET_KEY = "x9!kq2#Lz7@pW4$vN8^rT1&yB6*mC3(s"  # nosec: B105 dev key


def create_app(config_path=None):
    app = Flask(__name__)
    d = type("Config", (), {})()
    with open(config_path or os.environ["APP_CONFIG"]) as config_file:
        exec(  # nosec: config file safe
            compile(config_file.read(), config_path, "exec"), d.__dict__
        )
    app.config.from_object(d)
    app.config.from_object(__name__)
    return app
