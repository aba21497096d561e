from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config["SESSION_COOKIE_HTTPONLY"] = False
