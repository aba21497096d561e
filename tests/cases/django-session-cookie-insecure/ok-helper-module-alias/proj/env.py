import os


def env_bool(name, default):
    if name in os.environ:
        return os.environ[name].lower() in ("1", "true", "yes")
    return default
