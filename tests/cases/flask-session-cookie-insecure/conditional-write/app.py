import os

from flask import Flask

app = Flask(__name__)
if os.environ.get("HTTPS"):
    app.config["SESSION_COOKIE_SECURE"] = True
