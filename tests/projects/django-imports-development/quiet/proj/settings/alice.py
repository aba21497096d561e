from .local import *  # noqa

DEBUG = True
