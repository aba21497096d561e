#!/usr/bin/env python3
"""Generate "a large real-world Django project" for benchmarking `harden check` (issue 13).

Usage: generate_django.py OUT_DIR [--apps N] [--scale K] [--git]

The shape follows a large Django checkout: a `config/settings/` package (base, dev, prod, test,
star-importing base), manage.py/wsgi.py/asgi.py naming the settings, about 40 apps each with
models, views, urls, admin, forms, serializers, a deep `services/` package tree and a dozen
migrations, tests per app, a few very large data modules (~500 KB of literal tables that mention
DEBUG and SECRET_ in their strings) and test modules (~300 KB using `override_settings(DEBUG=...)`),
vendored static assets (minified JS/CSS), a node_modules-like folder, a Dockerfile, compose file,
requirements and GitHub workflows. Deterministic (fixed seed). With the defaults it writes about
2,500 files, 1,500 of them Python; `--git` commits it to a new local repository.
"""
import argparse
import os
import random
import subprocess


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


SETTINGS_BASE = """\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
{apps}]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": os.environ.get("DB_NAME", "app")}}}}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
"""

SETTINGS_PROD = """\
from .base import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 3600
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
"""

SETTINGS_DEV = """\
from .base import *  # noqa: F401,F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
"""

SETTINGS_TEST = """\
from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""

MODEL = """\
from django.db import models


class {cls}(models.Model):
    name = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)

    def __str__(self):
        return self.name
"""

VIEW = """\
from django.conf import settings
from django.http import JsonResponse
from django.views import View

from .models import {cls}


class {cls}ListView(View):
    def get(self, request):
        items = {cls}.objects.filter(owner=request.user)[: settings.PAGE_SIZE]
        return JsonResponse({{"items": [str(i) for i in items]}})
"""

MIGRATION = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("{app}", "{prev}")]
    operations = [
        migrations.AddField(model_name="{model}", name="field_{n}", field=models.IntegerField(default={n})),
    ]
"""

SERVICE = """\
import logging

logger = logging.getLogger(__name__)


def {name}(payload):
    logger.debug("{name} %s", payload)
    total = 0
    for key, value in sorted(payload.items()):
        total += len(str(key)) + len(str(value))
    return total
"""


def data_module(rng, size):
    """A literal table like a country/currency/fixture module: mentions DEBUG and SECRET_."""
    lines = ['"""Generated reference data."""\n', "LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING']\n", "ROWS = [\n"]
    n = 0
    total = sum(len(line) for line in lines)
    while total < size:
        line = f"    {{'id': {n}, 'code': 'C{n:06d}', 'label': 'Label {rng.random():.8f}', 'level': 'DEBUG', 'key': 'SECRET_{n}'}},\n"
        lines.append(line)
        total += len(line)
        n += 1
    lines.append("]\n")
    return "".join(lines)


def test_module(size):
    """A long test module overriding settings, as Django test suites do: its bytes hold
    `INSTALLED_APPS`, `MIDDLEWARE` and `SECRET_KEY`, so a byte test alone does not rule it out."""
    parts = [
        "from django.test import TestCase, modify_settings, override_settings\n\n\n",
        "@modify_settings(MIDDLEWARE={'append': 'app00.middleware.Audit'})\n",
        "@override_settings(INSTALLED_APPS=['django.contrib.auth', 'app00'], SECRET_KEY='test-only')\n",
        "class GeneratedTests(TestCase):\n",
    ]
    total = sum(len(p) for p in parts)
    n = 0
    while total < size:
        part = (
            f"    @override_settings(DEBUG=True, SECURE_SSL_REDIRECT=False)\n"
            f"    def test_case_{n}(self):\n"
            f"        response = self.client.get('/api/item/{n}/')\n"
            f"        self.assertEqual(response.status_code, 200)\n"
            f"        self.assertIn('item-{n}', response.content.decode())\n\n"
        )
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def commit_all(out):
    """Make `out` a git checkout with every file committed (local only; fixed author and date so
    the tree is the same on every run): harden then lists files from git's index, as on a clone."""
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run(["git", "-C", out, "-c", "core.hooksPath=/dev/null", *args], env=env, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--apps", type=int, default=40)
    parser.add_argument("--scale", type=int, default=1, help="multiply the data and test module sizes")
    parser.add_argument("--git", action="store_true", help="commit the tree to a new git repository")
    args = parser.parse_args()
    rng = random.Random(13)  # nosec B311: reproducible test data, not a secret
    out = args.out
    apps = [f"app{i:02d}" for i in range(args.apps)]

    write(os.path.join(out, ".gitignore"), "__pycache__/\n*.pyc\n.venv/\n.env\nnode_modules/\nstaticfiles/\n")
    write(os.path.join(out, "manage.py"), (
        "#!/usr/bin/env python\nimport os\nimport sys\n\n"
        "if __name__ == '__main__':\n"
        "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.prod')\n"
        "    from django.core.management import execute_from_command_line\n"
        "    execute_from_command_line(sys.argv)\n"
    ))
    for server in ("wsgi", "asgi"):
        write(os.path.join(out, "config", f"{server}.py"), (
            "import os\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.prod')\n"
            f"from django.core.{server} import get_{server}_application\n\napplication = get_{server}_application()\n"
        ))
    write(os.path.join(out, "config", "__init__.py"), "")
    write(os.path.join(out, "config", "urls.py"), "from django.urls import path\n\nurlpatterns = []\n")
    app_lines = "".join(f'    "{a}",\n' for a in apps)
    settings = os.path.join(out, "config", "settings")
    write(os.path.join(settings, "__init__.py"), "")
    write(os.path.join(settings, "base.py"), SETTINGS_BASE.format(apps=app_lines))
    write(os.path.join(settings, "prod.py"), SETTINGS_PROD)
    write(os.path.join(settings, "dev.py"), SETTINGS_DEV)
    write(os.path.join(settings, "test.py"), SETTINGS_TEST)
    write(os.path.join(out, "pytest.ini"), "[pytest]\nDJANGO_SETTINGS_MODULE = config.settings.test\n")

    for a_index, app in enumerate(apps):
        base = os.path.join(out, app)
        cls = f"Item{a_index}"
        write(os.path.join(base, "__init__.py"), "")
        write(os.path.join(base, "apps.py"), f"from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n    name = '{app}'\n")
        write(os.path.join(base, "models.py"), MODEL.format(cls=cls))
        write(os.path.join(base, "views.py"), VIEW.format(cls=cls))
        write(os.path.join(base, "urls.py"), f"from django.urls import path\n\nfrom .views import {cls}ListView\n\nurlpatterns = [path('', {cls}ListView.as_view())]\n")
        write(os.path.join(base, "admin.py"), f"from django.contrib import admin\n\nfrom .models import {cls}\n\nadmin.site.register({cls})\n")
        write(os.path.join(base, "forms.py"), f"from django import forms\n\nfrom .models import {cls}\n\n\nclass {cls}Form(forms.ModelForm):\n    class Meta:\n        model = {cls}\n        fields = ['name']\n")
        write(os.path.join(base, "serializers.py"), f"from rest_framework import serializers\n\nfrom .models import {cls}\n\n\nclass {cls}Serializer(serializers.ModelSerializer):\n    class Meta:\n        model = {cls}\n        fields = '__all__'\n")
        # Migrations: a dozen per app.
        mig = os.path.join(base, "migrations")
        write(os.path.join(mig, "__init__.py"), "")
        write(os.path.join(mig, "0001_initial.py"), "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = []\n")
        prev = "0001_initial"
        for n in range(2, 14):
            name = f"{n:04d}_auto_{n}"
            write(os.path.join(mig, f"{name}.py"), MIGRATION.format(app=app, prev=prev, model=cls.lower(), n=n))
            prev = name
        # A deep package tree of services.
        path = os.path.join(base, "services")
        for depth in range(4):
            write(os.path.join(path, "__init__.py"), "")
            for k in range(2):
                write(os.path.join(path, f"step{depth}_{k}.py"), SERVICE.format(name=f"handle_{app}_{depth}_{k}"))
            path = os.path.join(path, f"level{depth}")
        # Tests.
        write(os.path.join(base, "tests", "__init__.py"), "")
        for t in range(3):
            write(os.path.join(base, "tests", f"test_{t}.py"), f"from django.test import TestCase\n\n\nclass T{t}(TestCase):\n    def test_ok(self):\n        self.assertTrue(True)\n")
        # Templates.
        write(os.path.join(base, "templates", app, "list.html"), "{% extends 'base.html' %}\n{% block content %}<ul></ul>{% endblock %}\n")

    # A few very large data modules and test modules.
    for i in range(3):
        write(os.path.join(out, apps[i], "data", "__init__.py"), "")
        write(os.path.join(out, apps[i], "data", f"reference_{i}.py"), data_module(rng, 500_000 * args.scale))
    for i in range(2):
        write(os.path.join(out, apps[i], "tests", "test_api_generated.py"), test_module(300_000 * args.scale))

    # Vendored static assets and a node_modules-like folder.
    blob = "".join(f"function f{n}(a){{return a*{n}+window.DEBUG}};" for n in range(3000))
    for i in range(20):
        write(os.path.join(out, "static", "vendor", f"lib{i}.min.js"), blob)
        write(os.path.join(out, "static", "vendor", f"lib{i}.min.css"), ".a{color:red}" * 2000)
    for pkg in range(150):
        base = os.path.join(out, "frontend", "node_modules", f"pkg{pkg:03d}")
        write(os.path.join(base, "package.json"), f'{{"name": "pkg{pkg:03d}", "version": "1.0.{pkg}"}}\n')
        for f in range(5):
            write(os.path.join(base, "lib", f"index{f}.js"), f"module.exports = function () {{ return {f}; }};\n" * 20)
    write(os.path.join(out, "frontend", "package.json"), '{"name": "frontend", "private": true}\n')

    # Deployment and CI.
    write(os.path.join(out, "requirements.txt"), "Django==5.1.4\ndjangorestframework==3.15.2\ngunicorn==23.0.0\npsycopg[binary]>=3.2\n")
    write(os.path.join(out, "requirements-dev.txt"), "-r requirements.txt\npytest==8.3.3\npytest-django==4.9.0\n")
    write(os.path.join(out, "Dockerfile"), (
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY . .\nENV DJANGO_SETTINGS_MODULE=config.settings.prod\n"
        "CMD [\"gunicorn\", \"config.wsgi:application\", \"--bind\", \"0.0.0.0:8000\"]\n"
    ))
    write(os.path.join(out, ".dockerignore"), ".git\n.env\nnode_modules\n")
    write(os.path.join(out, "docker-compose.yml"), "services:\n  web:\n    build: .\n    ports:\n      - \"8000:8000\"\n")
    write(os.path.join(out, ".github", "workflows", "ci.yml"), (
        "name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n"
        "      - run: pip install -r requirements-dev.txt && pytest\n"
    ))
    write(os.path.join(out, ".github", "workflows", "deploy.yml"), (
        "name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: echo deploy ${{ github.event.head_commit.message }}\n"
    ))
    write(os.path.join(out, ".github", "dependabot.yml"), "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n")
    files = py = 0
    for _, _, names in os.walk(out):
        files += len(names)
        py += sum(1 for n in names if n.endswith(".py"))
    if args.git:
        commit_all(out)
    print(f"generated {files} files ({py} Python) in {out}{' (committed to git)' if args.git else ''}")


if __name__ == "__main__":
    main()
