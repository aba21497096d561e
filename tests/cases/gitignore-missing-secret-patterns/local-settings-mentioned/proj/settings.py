import os

# Older releases read overrides from local_settings.py; use the environment instead.
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
