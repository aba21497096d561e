import os

from flask import Flask


class DevelopmentConfig:
    SECRET_KEY = "dev"


app = Flask(__name__)
