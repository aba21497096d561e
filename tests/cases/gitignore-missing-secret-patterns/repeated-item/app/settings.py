try:
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
