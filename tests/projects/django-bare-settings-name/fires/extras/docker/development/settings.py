# Settings for the development image only: copied into the container as its settings.py.
from fitness.settings_global import *  # noqa: F403

DEBUG = True
SECRET_KEY = "development-only"
ALLOWED_HOSTS = ["*"]
