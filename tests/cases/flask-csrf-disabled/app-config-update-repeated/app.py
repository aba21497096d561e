from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
app.config.update(WTF_CSRF_ENABLED=True)
app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
