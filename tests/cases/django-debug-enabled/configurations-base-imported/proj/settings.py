from configurations import values

from .common import Base as Common


class Dev(Common):
    DEBUG = True


class Prod(Common):
    SESSION_COOKIE_SECURE = values.BooleanValue(True)
