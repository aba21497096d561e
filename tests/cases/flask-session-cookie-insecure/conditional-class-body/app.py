import os

from flask import Flask


class ProductionConfig:
    DEBUG = False
    if os.environ.get("BEHIND_TLS"):
        SESSION_COOKIE_SECURE = True


class StagingConfig:
    SESSION_COOKIE_SECURE = False


app = Flask(__name__)
