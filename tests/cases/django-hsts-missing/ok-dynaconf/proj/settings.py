# pulpcore's shape: dynaconf rewrites the module it is handed by name from /etc/pulp/settings.py
# and PULP_* variables, so no setting read after it is Django's default.
import logging

from dynaconf import DjangoDynaconf

logger = logging.getLogger(__name__)

SECRET_KEY = None
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

settings = DjangoDynaconf(
    __name__,
    ENVVAR_PREFIX_FOR_DYNACONF="PULP",
    ENV_SWITCHER_FOR_DYNACONF="PULP_ENV",
    SETTINGS_FILE_FOR_DYNACONF="/etc/pulp/settings.py",
)
