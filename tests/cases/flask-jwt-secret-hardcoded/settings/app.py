import os

from flask import Flask
from flask_jwt_extended import JWTManager

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["JWT_SECRET_KEY"] = "super-secret"  # expect: flask-jwt-secret-hardcoded
jwt = JWTManager(app)
