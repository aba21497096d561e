import os
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config["SESSION_COOKIE_SECURE"] = os.environ.get("FLASK_SESSION_COOKIE_SECURE", True)
