from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config.update(REMEMBER_COOKIE_SECURE=True)
app.config.update(SECRET_KEY="x", REMEMBER_COOKIE_SECURE=False)
