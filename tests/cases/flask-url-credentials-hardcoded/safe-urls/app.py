import os

from flask import Flask

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["CACHE_REDIS_URL"] = "redis://localhost:6379/0"
app.config["SQLITE_URI"] = "sqlite:///app.db"
app.config["TEMPLATE_URL"] = "postgresql://app:${DB_PASSWORD}@db/app"
if os.environ.get("LOCAL"):
    app.config["OTHER_URL"] = "postgresql://a:b@localhost/x"
