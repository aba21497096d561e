import datetime
import os

import jwt
from flask import Flask, current_app

TOKEN_SIGNING = "module-level-signing-key"  # expect: flask-jwt-secret-hardcoded


class Config:
    DEBUG = False
    SECRET_KEY = os.environ["SECRET_KEY"]
    TOKEN_KEY = os.environ.get("TOKEN_KEY", "fallback-token-key")  # expect: flask-jwt-secret-hardcoded
    SECRET_KEY_HMAC = "hmac-key-in-source"  # expect: flask-jwt-secret-hardcoded


app = Flask(__name__)
app.config.from_object(Config)


def issue(user):
    payload = {"sub": user, "exp": datetime.datetime.utcnow()}
    return jwt.encode(payload, current_app.config["TOKEN_KEY"], algorithm="HS256")


def legacy(user):
    return jwt.encode({"sub": user}, TOKEN_SIGNING, algorithm="HS256")


def inline(token):
    return jwt.decode(token, "inline-key", algorithms=["HS256"])  # expect: flask-jwt-secret-hardcoded


def session_signed(token):
    return jwt.decode(token, current_app.config["SECRET_KEY"], algorithms=["HS256"])
