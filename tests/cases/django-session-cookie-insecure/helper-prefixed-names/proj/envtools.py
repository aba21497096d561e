import os

PREFIXES = ("MYAPP_", "LEGACY_", "")


def read_env(name, default=None, as_bool=False):
    # The first of MYAPP_NAME, LEGACY_NAME and NAME that is set wins.
    for prefix in PREFIXES:
        value = os.environ.get(prefix + name)
        if value is not None:
            if as_bool:
                return value.lower() in ("1", "true", "yes")
            return value
    return default


def env_flag(name, default):
    return read_env(name, default, as_bool=True)
