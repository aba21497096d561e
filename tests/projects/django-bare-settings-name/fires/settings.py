# The top-level settings module the server loads.
from fitness.settings_global import *  # noqa: F403

DEBUG = True
