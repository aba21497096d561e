"""Minimal Django settings for extraction-only management commands."""
SECRET_KEY = "extract-only-not-a-server-key"
INSTALLED_APPS = []
