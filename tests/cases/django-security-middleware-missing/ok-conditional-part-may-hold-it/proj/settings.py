import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]

EXTRA_MIDDLEWARE = []
if os.path.exists("/etc/proj/secure"):
    EXTRA_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

MIDDLEWARE = EXTRA_MIDDLEWARE + [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "proj.urls"
