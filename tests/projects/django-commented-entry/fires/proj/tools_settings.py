"""Settings for a one-off maintenance script."""
SECRET_KEY = "maintenance-script-key"
INSTALLED_APPS = ["django.contrib.auth"]
