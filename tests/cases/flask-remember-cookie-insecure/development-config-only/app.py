from flask_login import LoginManager
from flask import Flask


class DevelopmentConfig:
    REMEMBER_COOKIE_SECURE = False


app = Flask(__name__)
