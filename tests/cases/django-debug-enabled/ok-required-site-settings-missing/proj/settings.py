import os
import sys

# Defaults for development; every site's settings_local.py (written by the installer, not in
# the repository) overrides them.
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "proj.urls"

try:
    import settings_local
    from settings_local import *  # noqa
except ImportError as exc:
    print("Unable to import settings_local.py: %s" % exc)
    sys.exit(1)

SESSION_COOKIE_PATH = "/"
