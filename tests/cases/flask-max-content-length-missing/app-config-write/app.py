from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = None
