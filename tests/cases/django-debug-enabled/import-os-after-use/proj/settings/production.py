from .base import *

DEBUG = True

import os  # noqa: E402 (too late for the line above; the fix adds its own import)
