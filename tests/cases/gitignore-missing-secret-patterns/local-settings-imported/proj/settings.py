import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False

try:
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
