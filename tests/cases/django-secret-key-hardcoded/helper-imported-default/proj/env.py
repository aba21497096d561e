import os


def env_str(name, default=None):
    value = os.environ.get(name)
    if value is None:
        return default
    return value
