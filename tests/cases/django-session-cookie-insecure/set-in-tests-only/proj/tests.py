from django.conf import settings
from django.test import TestCase


class CookieTests(TestCase):
    def setUp(self):
        settings.SESSION_COOKIE_SECURE = True
