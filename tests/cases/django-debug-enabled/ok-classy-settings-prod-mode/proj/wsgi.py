import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
os.environ.setdefault("DJANGO_MODE", "prod")
application = get_wsgi_application()
