from nautobot.core.settings import *  # noqa: F403
