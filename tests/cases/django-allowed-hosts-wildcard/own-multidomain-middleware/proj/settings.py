import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
# Event domains live in the database: pretix-style MultiDomainMiddleware validates the Host.
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tenants",
]
MIDDLEWARE = [
    "events.multidomain.middlewares.MultiDomainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
