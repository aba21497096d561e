#!/usr/bin/env python3
"""Generate the hostile shapes of issue 11 that once made `harden` slow, one project each.

Usage: hostile.py OUT_DIR [SHAPE ...]   (default: every shape)

Shapes (each well under the 8 MiB file limit):
  big-list       an 8 MB Django settings module whose INSTALLED_APPS lists 1.6 million items
  gitignore      a 4 MB .gitignore with 100,000 `**/` patterns, beside a tree of 200 files
  req-chain      5,000 requirements files, each `-r` including the next, each with pins
  dependabot     a dependabot.yml with 2,000 pip entries, each missing its cooldown (a fix each)

bench/README.md has the numbers before and after; tests/slow_shapes.rs runs smaller copies
and asserts the work they cost, not the time.
"""
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def big_list(out, items=1_600_000):
    write(os.path.join(out, "manage.py"),
          "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n")
    write(os.path.join(out, "proj", "__init__.py"), "")
    body = ", ".join(['"a"'] * items)
    write(os.path.join(out, "proj", "settings.py"),
          f"INSTALLED_APPS = [{body}]\nMIDDLEWARE = []\nDEBUG = True\n")


def gitignore(out, patterns=100_000, files=200):
    lines = [f"**/generated-{i:06d}/**/cache-{i:06d}.tmp" for i in range(patterns)]
    write(os.path.join(out, ".gitignore"), "\n".join(lines) + "\n")
    write(os.path.join(out, "requirements.txt"), "flask==3.0.0\n")
    for i in range(files):
        write(os.path.join(out, "src", f"pkg{i % 20}", f".env.{i}"), "X=1\n")


def req_chain(out, files=5_000):
    for i in range(files):
        include = f"-r requirements-{i + 1}.txt\n" if i + 1 < files else ""
        write(os.path.join(out, f"requirements-{i}.txt"),
              f"{include}-c constraints.txt\npackage{i}==1.{i}.0\nflask>=2\n")
    write(os.path.join(out, "constraints.txt"), "flask==3.0.0\n")


def dependabot(out, entries=2_000):
    parts = ["version: 2\nupdates:\n"]
    for i in range(entries):
        parts.append(
            f"  - package-ecosystem: pip\n    directory: /svc{i}\n"
            f"    schedule:\n      interval: weekly\n")
        write(os.path.join(out, f"svc{i}", "requirements.txt"), "flask==3.0.0\n")
    write(os.path.join(out, ".github", "dependabot.yml"), "".join(parts))


SHAPES = {"big-list": big_list, "gitignore": gitignore, "req-chain": req_chain,
          "dependabot": dependabot}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    for name in sys.argv[2:] or SHAPES:
        SHAPES[name](os.path.join(out, name))


if __name__ == "__main__":
    main()
