"""khoj's shape: the application is built with the debugger only in debug mode, which a helper
reads from the environment; the production branch hides the docs instead."""
import os

from fastapi import FastAPI


def in_debug_mode():
    return os.getenv("KHOJ_DEBUG", "false").lower() == "true"


if in_debug_mode():
    app = FastAPI(debug=True)
else:
    app = FastAPI(docs_url=None)
