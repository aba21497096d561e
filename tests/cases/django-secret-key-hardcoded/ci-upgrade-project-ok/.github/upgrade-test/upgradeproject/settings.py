SECRET_KEY = "upgrade-test-key"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.auth", "cms"]
MIDDLEWARE = []
ROOT_URLCONF = "upgradeproject.urls"
