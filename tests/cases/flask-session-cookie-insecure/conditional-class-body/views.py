"""A view that writes the session: the application sends a session cookie."""
from flask import session


def remember(name):
    session["name"] = name
