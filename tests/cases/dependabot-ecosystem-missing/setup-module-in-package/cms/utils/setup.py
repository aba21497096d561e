# django-cms: sets the CMS up when Django starts; no packaging here.
from django.core.exceptions import ImproperlyConfigured


def setup():
    pass
