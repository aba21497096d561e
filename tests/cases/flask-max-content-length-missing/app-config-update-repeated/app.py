from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config.update(MAX_CONTENT_LENGTH=1024)
app.config.update(SECRET_KEY="x", MAX_CONTENT_LENGTH=None)
