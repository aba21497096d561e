from flask import Flask


class Config:
    SESSION_COOKIE_SAMESITE = "Lax"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class LegacyConfig(Config):
    SESSION_COOKIE_SECURE = False


app = Flask(__name__)
app.config.from_object("app.LegacyConfig")
