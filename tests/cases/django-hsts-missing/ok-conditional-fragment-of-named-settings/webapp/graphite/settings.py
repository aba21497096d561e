"""graphite-web's shape: the named settings module loads the deployment's local settings at
run time, then the project's Django settings fragment unless those already did."""
import os
from importlib import import_module

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["graphite.example.com"]
SECURE_HSTS_SECONDS = 31536000
GRAPHITE_WEB_APP_SETTINGS_LOADED = False

SETTINGS_MODULE = os.environ.get("GRAPHITE_SETTINGS_MODULE", "graphite.local_settings")
try:
    globals().update(import_module(SETTINGS_MODULE).__dict__)
except ImportError:
    pass

if not GRAPHITE_WEB_APP_SETTINGS_LOADED:
    from graphite.app_settings import *  # noqa
