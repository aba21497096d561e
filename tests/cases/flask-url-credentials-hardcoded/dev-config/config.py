class DevelopmentConfig:
    DEBUG = True
    SQLALCHEMY_DATABASE_URI = "postgresql://dev:dev@localhost/dev"


class TestingConfig:
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "postgresql://test:test@localhost/test"
