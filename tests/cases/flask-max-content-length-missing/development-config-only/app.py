from flask_login import LoginManager
from flask import Flask


class DevelopmentConfig:
    MAX_CONTENT_LENGTH = None


app = Flask(__name__)
