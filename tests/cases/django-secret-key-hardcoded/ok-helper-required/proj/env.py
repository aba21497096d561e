import os


class ImproperlyConfigured(Exception):
    pass


def env_str(name, default=None):
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(name + " is required")
        return default
    return value
