import os
import sys

ROOT_PATH = os.path.dirname(os.path.abspath(__file__))
if ROOT_PATH not in sys.path:
    sys.path.append(ROOT_PATH)

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False

try:
    from local.local_settings import *  # noqa: F403,H303
except ImportError:
    pass
