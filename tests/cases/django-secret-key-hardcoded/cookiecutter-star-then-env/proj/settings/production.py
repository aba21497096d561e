"""Production settings: the cookiecutter-django shape (a star import, then `env` by name)."""

from .base import *  # noqa: F403
from .base import env

# The fix reads the secret through `env`, as the module does, named like DJANGO_DEBUG.
SECRET_KEY = "kz3u1(6k@8n2x!q$w7e#r4t%y^u&i*o(p)a_s+d=f-g~h`j|l;z:x'c<v>b?n/m"
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="smtp")
