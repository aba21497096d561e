from flask_login import LoginManager
from flask import Flask


class DevelopmentConfig:
    WTF_CSRF_ENABLED = False


app = Flask(__name__)
