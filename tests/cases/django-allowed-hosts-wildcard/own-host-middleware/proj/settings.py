import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
# Tenant domains live in the database: tenants.middleware.HostMiddleware validates the Host.
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tenants",
]
MIDDLEWARE = [
    "tenants.middleware.HostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
