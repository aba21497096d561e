import os

INSTALLED_APPS = ["django.contrib.auth"]
ROOT_URLCONF = "proj.urls"
DEBUG = False
SECRET_KEY = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop"  # nosec B105
