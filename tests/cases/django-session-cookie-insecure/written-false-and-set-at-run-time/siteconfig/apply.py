"""Applies the site's stored configuration to Django's settings whenever the site loads."""

from django.conf import settings


def apply_site_config(siteconfig):
    is_https = siteconfig.get("site_domain_method") == "https"
    settings.CSRF_COOKIE_SECURE = is_https
    setattr(settings, "SESSION_COOKIE_SECURE", is_https)
