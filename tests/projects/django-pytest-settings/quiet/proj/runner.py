from .settings import *  # noqa

DEBUG = True
INSTALLED_APPS = INSTALLED_APPS + ["proj.testapp"]
