import os

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
DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# Nautobot's shape: `and` short-circuits, so with the variable unset the else branch runs.
if "DJANGO_ALLOWED_HOSTS" in os.environ and os.environ["DJANGO_ALLOWED_HOSTS"] != "":
    ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(" ")
else:
    ALLOWED_HOSTS = []
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
