import os


class Config:
    SECRET_KEY = os.environ["SECRET_KEY"]
    SQLALCHEMY_DATABASE_URI = "postgresql://app:s3cret@db:5432/app"  # expect: flask-url-credentials-hardcoded
    CELERY_BROKER_URL = os.environ.get("BROKER_URL", "amqp://guest:guest@rabbit//")  # expect: flask-url-credentials-hardcoded


class ProductionConfig(Config):
    pass


class DevelopmentConfig(Config):
    SQLALCHEMY_DATABASE_URI = "postgresql://dev:dev@localhost/dev"
