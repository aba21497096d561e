import os

import jwt
from flask import Flask

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = 3600
app.config["JWT_ALGORITHM"] = "HS256"


def issue(user):
    return jwt.encode({"sub": user}, app.config["JWT_SECRET_KEY"], algorithm="HS256")
