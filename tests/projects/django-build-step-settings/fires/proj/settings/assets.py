from .production import *  # noqa

SECRET_KEY = "collectstatic-only-dummy-key-0123456789abcdef"
