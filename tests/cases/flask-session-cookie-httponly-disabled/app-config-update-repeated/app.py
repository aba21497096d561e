from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config.update(SESSION_COOKIE_HTTPONLY=True)
app.config.update(SECRET_KEY="x", SESSION_COOKIE_HTTPONLY=False)
