"""Read the Docs-style settings: a class copied into the module by load_settings."""
import os

from proj.base import CommunityBaseSettings


class CommunityProdSettings(CommunityBaseSettings):
    DEBUG = False
    ALLOWED_HOSTS = ["example.com"]
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key")


CommunityProdSettings.load_settings(__name__)
