#!/usr/bin/env python3
"""Precision benchmark: run `harden check --profile baseline` on real open-source Python web
applications and count the findings per project and check, for judging one by one
(docs/precision.md holds the judged table).

USES THE NETWORK: it downloads each application's source distribution from PyPI with
`pip download --no-deps --no-binary :all:` (into --cache, once). Nothing it downloads is run:
pip only prepares the sdist's metadata, and harden only reads files.

An sdist carries the application's code and settings, not its repository's configuration
(.github/, .gitignore, compose files). With --mirrors DIR, the files under DIR/<project>/ (copies
of the public repository's configuration files, assembled by hand) are laid over the extracted
sdist before the run, so that repository-wide checks judge what the repository really has.
Each tree is committed to a fresh git repository, as a clone would be.

    python3 bench/precision.py [--harden target/release/harden] [--cache DIR]
                               [--mirrors DIR] [--json OUT]
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# (project, pip requirement, mirror directory name)
PROJECTS = [
    ("label-studio", "label-studio==1.23.2", "label-studio"),
    ("apache-superset", "apache-superset==6.1.0", "apache-superset"),
    ("ckan", "ckan==2.12.0", "ckan"),
    ("nautobot", "nautobot==3.2.7", "nautobot"),
    ("flaskbb", "flaskbb==2.0.2", "flaskbb"),
    ("mailman-web", "mailman-web==0.0.9", "mailman-web"),
]


def download(requirement: str, cache: Path) -> Path:
    """The sdist of `requirement` in `cache`, downloaded when missing."""
    name, _, version = requirement.partition("==")
    stem = name.replace("-", "_").lower()
    for candidate in cache.glob("*.tar.gz"):
        if candidate.name.lower().startswith(f"{stem}-{version}".lower()):
            return candidate
    env = dict(os.environ)
    # A local wheel directory can shadow the build backend's pinned dependencies.
    env.pop("PIP_FIND_LINKS", None)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "--dest", str(cache), requirement],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )
    return download(requirement, cache)


def prepare(sdist: Path, mirror: Path | None, work: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(work, filter="data")
    (root,) = [p for p in work.iterdir() if p.is_dir()]
    if mirror and mirror.is_dir():
        shutil.copytree(mirror, root, dirs_exist_ok=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run(git + ["init", "-q", "."], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "import", "--no-verify"], cwd=root, check=True)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harden", default="target/release/harden")
    parser.add_argument("--cache", default="target/bench/dl")
    parser.add_argument("--mirrors", default=None)
    parser.add_argument("--json", default=None, help="write every finding here")
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    harden = Path(args.harden).resolve()
    everything = {}
    for project, requirement, mirror_name in PROJECTS:
        sdist = download(requirement, cache)
        mirror = Path(args.mirrors) / mirror_name if args.mirrors else None
        with tempfile.TemporaryDirectory() as temp:
            root = prepare(sdist, mirror, Path(temp))
            run = subprocess.run(
                [str(harden), "check", "--profile", "baseline", "--format", "json", str(root)],
                capture_output=True, text=True,
            )
            if run.returncode not in (0, 1):
                print(f"{project}: harden failed ({run.returncode}): {run.stderr}", file=sys.stderr)
                return 2
            findings = json.loads(run.stdout)["findings"]
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
