#!/usr/bin/env python3
"""Generate a synthetic monorepo for benchmarking `harden check`.

Usage: generate.py OUT_DIR [--services N] [--python-files N] [--git]

Each service gets requirements.txt (some unpinned), requirements-dev.txt (-r include), a
.gitignore, a Dockerfile, a .env.example, and source files; the root gets .gitignore,
.github/dependabot.yml (grouped entries listing most, not all, services), workflows and settings modules. With the
defaults (2,000 services) the tree holds about 20,000 files; `--python-files 95` makes it about
200,000 (issue 13's large tree). `--git` commits the tree to a new local repository, so harden
lists it from git's index as on a clone.
"""
import argparse
import os
import random
import subprocess


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


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
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--python-files", type=int, default=5, help="source files per service")
    parser.add_argument("--settings-every", type=int, default=50, help="every Nth service is a Django project")
    parser.add_argument("--git", action="store_true", help="commit the tree to a new git repository")
    args = parser.parse_args()
    rng = random.Random(42)  # nosec B311: reproducible test data, not a secret
    packages = ["django", "flask", "requests", "gunicorn", "celery", "redis", "boto3", "pydantic", "sqlalchemy", "httpx"]

    write(os.path.join(args.out, ".gitignore"), "__pycache__/\n*.pyc\n.venv/\n")
    updates = []
    for i in range(args.services):
        svc = f"services/svc{i:04d}"
        base = os.path.join(args.out, svc)
        reqs = []
        for pkg in rng.sample(packages, 4):
            if rng.random() < 0.8:
                reqs.append(f"{pkg}=={rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}")
            else:
                reqs.append(f"{pkg}>={rng.randint(1, 5)}.0")
        write(os.path.join(base, "requirements.txt"), "# runtime\n" + "\n".join(reqs) + "\n")
        write(os.path.join(base, "requirements-dev.txt"), "-r requirements.txt\npytest==8.3.3\n")
        write(os.path.join(base, ".gitignore"), ".env\n*.pem\n")
        write(os.path.join(base, ".env.example"), "SECRET_KEY=\n")
        write(os.path.join(base, "Dockerfile"), "FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir -r /app/requirements.txt\nUSER app\nCMD [\"python\", \"-m\", \"app\"]\n")
        if i % args.settings_every == 0:
            write(os.path.join(base, "manage.py"), "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n")
            write(os.path.join(base, "app", "settings.py"), (
                "import os\n"
                "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"
                "DEBUG = os.environ.get('DJANGO_DEBUG', '') == '1'\n"
                "ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')\n"
                "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions']\n"
                "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'django.contrib.sessions.middleware.SessionMiddleware']\n"
                + ("SECURE_HSTS_SECONDS = 31536000\n" if i % 100 else "")
            ))
        for j in range(args.python_files):
            write(os.path.join(base, "app", f"module{j}.py"), f"def handler_{j}(event):\n    return {{'ok': True, 'n': {j}}}\n")
    # One grouped entry per ecosystem (as large monorepos write it), leaving the last services
    # of the tree uncovered so the missing-entry check has work to do.
    covered = [f"/services/svc{i:04d}" for i in range(args.services - 5)]
    dirs = "".join(f"      - {d}\n" for d in covered)
    updates.append(f"  - package-ecosystem: pip\n    directories:\n{dirs}    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 7\n")
    updates.append("  - package-ecosystem: docker\n    directories:\n      - /services/*\n    schedule:\n      interval: weekly\n")
    write(os.path.join(args.out, ".github/dependabot.yml"), "version: 2\nupdates:\n" + "".join(updates))
    write(os.path.join(args.out, ".github/workflows/ci.yml"), "name: ci\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
    count = sum(len(files) for _, _, files in os.walk(args.out))
    if args.git:
        commit_all(args.out)
    print(f"generated {count} files in {args.out}{' (committed to git)' if args.git else ''}")


if __name__ == "__main__":
    main()
