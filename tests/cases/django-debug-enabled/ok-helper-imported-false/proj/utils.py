import os


def envbool(name, default):
    value = os.getenv(name, default=default)
    return value.lower() in ("true", "1", "yes")
