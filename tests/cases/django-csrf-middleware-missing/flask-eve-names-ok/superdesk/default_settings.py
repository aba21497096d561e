"""Superdesk defaults (Flask and Eve)."""
import os

from celery.schedules import crontab


def env(variable, fallback_value=None):
    return os.environ.get(variable, fallback_value)


#: Superdesk's own application modules, loaded by its app factory.
INSTALLED_APPS = []

CORE_APPS = [
    "apps.auth",
    "superdesk.users",
]

DEBUG = env("SUPERDESK_DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    SECRET_KEY = "hardcoded-fallback"

CELERY_BEAT_SCHEDULE = {"cleanup": {"task": "cleanup", "schedule": crontab(minute=30)}}
