import os
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = os.environ.get("FLASK_WTF_CSRF_ENABLED", False)
