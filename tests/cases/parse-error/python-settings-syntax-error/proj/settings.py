import os

INSTALLED_APPS = [
    "django.contrib.auth",

DEBUG = False
