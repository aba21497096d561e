from settings import *  # noqa

ALLOWED_HOSTS = ["example.org"]
