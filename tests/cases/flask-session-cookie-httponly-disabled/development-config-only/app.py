from flask_login import LoginManager
from flask import Flask


class DevelopmentConfig:
    SESSION_COOKIE_HTTPONLY = False


app = Flask(__name__)
