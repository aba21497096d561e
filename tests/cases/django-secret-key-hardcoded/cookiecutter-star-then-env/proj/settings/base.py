import environ

env = environ.Env()
DEBUG = env.bool("DJANGO_DEBUG", False)
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
