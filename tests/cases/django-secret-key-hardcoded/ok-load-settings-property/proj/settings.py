"""Read the Docs-style settings: a class copied into the module by load_settings."""
import os

from proj.base import CommunityBaseSettings


class CommunityProdSettings(CommunityBaseSettings):
    DEBUG = False
    ALLOWED_HOSTS = ["example.com"]

    @property
    def SECRET_KEY(self):
        return os.environ["DJANGO_SECRET_KEY"]


CommunityProdSettings.load_settings(__name__)
