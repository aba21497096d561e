#!/usr/bin/env python3
"""Precision benchmark: run `harden check --profile baseline` on real open-source Python web
applications and count the findings per project and check, for judging one by one
(docs/precision.md holds the judged table).

USES THE NETWORK: it downloads each application's source distribution from PyPI (the Simple API,
then the archive, checked against PyPI's SHA-256) into --cache, once. Nothing it downloads is
run: no build backend, no setup.py; harden only reads files.

An sdist carries the application's code and settings, not its repository's configuration
(.github/, .gitignore, compose files). With --mirrors DIR, the files under DIR/<project>/ (copies
of the public repository's configuration files, assembled by hand) are laid over the extracted
sdist before the run, so that repository-wide checks judge what the repository really has.
Each tree is committed to a fresh git repository, as a clone would be.

    python3 bench/precision.py [--harden target/release/harden] [--cache DIR]
                               [--mirrors DIR] [--json OUT]
"""

import argparse
import hashlib
import collections
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

# (project, version): real web applications whose sdist on PyPI carries the application.
PROJECTS = [
    ("pretix", "2026.8.0"),
    ("pretalx", "2026.2.1"),
    ("weblate", "2026.10.1"),
    ("label-studio", "1.23.2"),
    ("apache-superset", "6.1.0"),
    ("ckan", "2.12.0"),
    ("nautobot", "3.2.7"),
    ("netbox", "4.7.3"),
    ("flaskbb", "2.2.0"),
    ("mailman-web", "0.0.9"),
    ("mayan-edms", "4.12.2"),
    ("archivebox", "0.9.73"),
    ("modoboa", "2.12.0"),
    ("hyperkitty", "1.3.12"),
    ("postorius", "1.3.13"),
    ("changedetection.io", "0.60.10"),
    ("calibreweb", "0.6.27"),
    ("open-webui", "0.12.4"),
    ("saleor", "2.10.1"),
    ("wger", "2.1"),
    ("pulpcore", "3.123.1"),
    ("misago", "0.39.6"),
    ("lemur", "1.9.3"),
    ("kiwitcms", "12.4"),
    # Fourth round (not judged before): more Django and Flask applications.
    ("ara", "1.8.0"),
    ("dpaste", "3.5"),
    ("graphite-web", "1.1.10"),
    ("openrem", "0.10.0"),
    ("ihatemoney", "7.2.1"),
    ("privacyidea", "3.14"),
    ("fittrackee", "1.3.6"),
    ("archivy", "1.7.7"),
    ("django-oscar", "4.2.1"),
    ("wagtail", "8.0.1"),
    ("ralph", "2.3.1"),
    ("canaille", "0.2.0"),
    ("mezzanine", "6.1.1"),
    ("shuup", "1.6.0"),
    ("openslides", "3.3"),
    ("askbot", "0.13.0"),
    # Fifth round: twelve more (Django, Flask and FastAPI applications, and the servers of
    # two tools with web front ends); pre-releases where they were PyPI's newest sdist.
    ("reviewboard", "8.1"),
    ("galaxy-ng", "4.9.2"),
    ("zou", "1.0.97"),
    ("octoprint", "2.0.0rc7"),
    ("mlflow", "3.9.0rc0"),
    ("litellm", "1.99.4"),
    ("django-helpdesk", "2.6.1"),
    ("opal-server", "0.9.9rc3"),
    ("whoogle-search", "1.2.4"),
    ("pyload-ng", "0.5.0b3.dev99"),
    ("apache-airflow-core", "3.4.0b2"),
    ("chainlit", "2.9.6"),
    # Sixth round: an OpenStack dashboard (pbr) and two Fedora Flask applications.
    ("horizon", "27.0.0"),
    ("anitya", "2.3.0"),
    ("noggin-aaa", "1.11.0"),
    # Seventh round: Django (doccano, arches, openwisp-controller), Flask (keystone, moin,
    # fasjson, superdesk-core, isso), FastAPI (lnbits, ethyca-fides, argilla-server), Pyramid
    # (bodhi-server).
    ("doccano", "1.8.4"),
    ("arches", "8.2.0a9"),
    ("openwisp-controller", "1.3"),
    ("keystone", "30.0.0"),
    ("moin", "2.0.0b5"),
    ("fasjson", "1.7.0"),
    ("superdesk-core", "2.5.3"),
    ("isso", "0.9"),
    ("lnbits", "1.6.2rc1"),
    ("ethyca-fides", "2.86.2rc0"),
    ("argilla-server", "2.8.0"),
    ("bodhi-server", "8.3.0"),
    # A reusable Django application, a Pyramid service and a Datasette release.
    ("django-sql-explorer", "5.3b2"),
    ("kinto", "9.2.3"),
    ("datasette", "1.0a9"),
]


def download(name: str, version: str, cache: Path) -> Path:
    """The sdist of `name==version` in `cache`, downloaded from PyPI's JSON API when missing.

    Not `pip download`: pip builds an sdist's metadata, which runs the project's build code.
    Here only the archive is fetched."""
    target = cache / f"{name}-{version}.tar.gz"
    if target.exists():
        return target
    # The Simple API in its JSON form (PEP 691), as pip reads it.
    api = f"https://pypi.org/simple/{name}/"
    request = urllib.request.Request(api, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        files = json.load(response)["files"]
    stems = {f"{n}-{version}" for n in (name, name.replace("-", "_"), name.replace(".", "_"))}
    sdists = [
        f for f in files
        if f["filename"].endswith(".tar.gz") and f["filename"][: -len(".tar.gz")].lower() in stems
    ]
    if not sdists:
        raise SystemExit(f"{name} {version}: no sdist on PyPI")
    sdist = sdists[0]
    # Mirrors may answer with URLs relative to the API URL.
    url = urllib.parse.urljoin(api, sdist["url"])
    with urllib.request.urlopen(url, timeout=600) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != sdist["hashes"]["sha256"]:
        raise SystemExit(f"{name} {version}: sha256 mismatch")
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.rename(target)
    return target


def prepare(sdist: Path, mirror: Path | None, work: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(work, filter="data")
    (root,) = [p for p in work.iterdir() if p.is_dir()]
    if mirror and mirror.is_dir():
        shutil.copytree(mirror, root, dirs_exist_ok=True)
    # No background `git gc --auto`: it can still be writing into .git when the temporary
    # directory is removed.
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
           "-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "core.safecrlf=false"]
    subprocess.run(git + ["init", "-q", "."], cwd=root, check=True)
    subprocess.run(git + ["add", "-A", "--force"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "import", "--no-verify"], cwd=root, check=True)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harden", default="target/release/harden")
    parser.add_argument("--cache", default="target/bench/dl")
    parser.add_argument("--mirrors", default=None)
    parser.add_argument("--json", default=None, help="write every finding here")
    parser.add_argument("--keep", default=None,
                        help="extract each project under KEEP/<project> and leave it there")
    parser.add_argument("--only", action="append", default=[], help="run only this project")
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    harden = Path(args.harden).resolve()
    everything = {}
    for project, version in PROJECTS:
        sdist = download(project, version, cache)
        mirror = Path(args.mirrors) / project if args.mirrors else None
        if args.only and project not in args.only:
            continue
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as temp:
            work = Path(temp)
            if args.keep:
                work = Path(args.keep) / project
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
            root = prepare(sdist, mirror, work)
            run = subprocess.run(
                [str(harden), "check", "--profile", "baseline", "--format", "json", str(root)],
                capture_output=True, text=True,
            )
            if run.returncode not in (0, 1):
                print(f"{project}: harden failed ({run.returncode}): {run.stderr}", file=sys.stderr)
                return 2
            # Findings the project silenced itself (SILENCED_SYSTEM_CHECKS, `# harden: ignore`)
            # are reported as suppressed and count for nothing.
            findings = [f for f in json.loads(run.stdout)["findings"] if not f.get("suppressed")]
        everything[project] = findings
        counts = collections.Counter(f["check"] for f in findings)
        print(f"{project}: {len(findings)} finding(s)")
        for check, count in sorted(counts.items()):
            print(f"  {check:45} {count}")
        for f in findings:
            print(f"    {f['check']} {f['path']}: {f['message'][:120]}")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
