from proj.settings import *  # noqa

DEBUG = True
