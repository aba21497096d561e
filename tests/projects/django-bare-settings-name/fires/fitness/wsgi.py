import os

from django.core.wsgi import get_wsgi_application

# `settings` is the file the installer writes at the top level (`fitness create-settings`).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

application = get_wsgi_application()
