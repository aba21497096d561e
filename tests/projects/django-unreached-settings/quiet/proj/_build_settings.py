"""Settings a setuptools build command loads to compile assets; no server reads them."""
from .settings import *  # noqa

SECRET_KEY = "build-time-secret-key"
INSTALLED_APPS = ["django.contrib.staticfiles"]
