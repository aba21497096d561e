"""Settings the project's Docker image uses."""
from .settings_example import *  # noqa

SECRET_KEY = "hardcoded-docker-image-key-0123456789abcdefghijklmn"
