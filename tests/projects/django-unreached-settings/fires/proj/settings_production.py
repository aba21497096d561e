"""Production settings, selected by the deployment's environment (not named in the repository)."""
from .settings import *  # noqa

SECRET_KEY = "hardcoded-production-key-0123456789abcdefghijklmnop"
