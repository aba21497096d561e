import os


class ConfigKey:
    """Names of the configuration keys the application reads."""
    SESSION_COOKIE_SECURE = "PI_SESSION_COOKIE_SECURE"
    SECRET_KEY = "SECRET_KEY"
    DB_PASSWORD = "PI_DB_PASSWORD"
    HSM_INITIALIZE = "PI_INITIALIZE_HSM"


class FirebaseConfig:
    REGISTRATION_URL = "registration URL"
    JSON_CONFIG = "JSON config file"


class Config:
    SECRET_KEY = os.environ.get(ConfigKey.SECRET_KEY)


class TestingConfig(Config):
    TESTING = True


class AltUIConfig(TestingConfig):
    STATIC_FOLDER = "../tests/altstatic"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_SAMESITE = "Lax"


config = {
    "testing": TestingConfig,
    "altUI": AltUIConfig,
    "production": ProductionConfig,
}
