import os
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = os.environ.get("FLASK_MAX_CONTENT_LENGTH", None)
