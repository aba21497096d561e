"""Nautobot's base settings: a user's nautobot_config.py star-imports them and overrides."""

import os

DEBUG = True
SECRET_KEY = os.getenv("NAUTOBOT_SECRET_KEY", "")
ALLOWED_HOSTS = os.getenv("NAUTOBOT_ALLOWED_HOSTS", "").split()
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "nautobot.core",
]
