"""The application."""
from flask import Flask

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://root:toor@127.0.0.1/shop"  # expect: flask-url-credentials-hardcoded
app.config.update(REDIS_URL="redis://:hunter2@cache:6379/0")  # expect: flask-url-credentials-hardcoded
