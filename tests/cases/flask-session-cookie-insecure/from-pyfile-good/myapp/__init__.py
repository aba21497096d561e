from flask import Flask

app = Flask(__name__)
app.config.from_pyfile("config.py")
app.config.from_envvar("APP_SETTINGS", silent=True)
app.config.from_prefixed_env()
