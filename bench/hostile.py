#!/usr/bin/env python3
"""Generate the hostile shapes of issue 11 that once made `harden` slow, one project each.

Usage: hostile.py OUT_DIR [SHAPE ...] [--run HARDEN]   (default: every shape)

With --run, each shape is generated and then `HARDEN` runs on it under /usr/bin/time -v
(`check --format json --output /dev/null`; for dependabot `fix --diff` of its one check):
one line per shape with the wall time, the peak RSS and the exit code.

Shapes (each well under the 8 MiB file limit; the other functions' docstrings say theirs):
  big-list       an 8 MB Django settings module whose INSTALLED_APPS lists 1.6 million items
  gitignore      a 4 MB .gitignore with 100,000 `**/` patterns, beside a tree of 200 files
  req-chain      5,000 requirements files, each `-r` including the next, each with pins
  dependabot     a dependabot.yml with 2,000 pip entries, each missing its cooldown (a fix each)
  long-concat, deep-nesting, int-overflow, doubling, alias-quadratic, star-cycle,
  flow-nesting, flask-long-line, pip-install, stages, run-expressions, one-line-text,
  template-loop: the other shapes of issue 11, one each

bench/README.md has the numbers before and after; tests/slow_shapes.rs runs smaller copies
and asserts the work they cost, not the time.
"""
import os
import subprocess
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


MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"


def settings_project(out, body):
    write(os.path.join(out, "manage.py"), MANAGE)
    write(os.path.join(out, "proj", "__init__.py"), "")
    write(os.path.join(out, "proj", "settings.py"),
          "INSTALLED_APPS = []\nMIDDLEWARE = []\n" + body)


def long_concat(out, terms=2_000):
    """Valid Python CPython compiles: a 2,000-term `'ab' + 'ab' + ...` (stack overflow)."""
    settings_project(out, "SECRET_KEY = " + " + ".join(["'ab'"] * terms) + "\nDEBUG = True\n")


def deep_nesting(out, depth=2_000):
    """2,000 levels of `(`, `[`, `{`, `not`, subscripts, `or`, calls (stack overflow)."""
    lines = [
        "A = " + "(" * depth + "1" + ")" * depth,
        "B = " + "[" * depth + "1" + "]" * depth,
        "C = " + "{'k': " * depth + "1" + "}" * depth,
        "D = " + "not " * depth + "True",
        "E = x" + "[0]" * depth,
        "F = " + " or ".join(["False"] * depth),
        "G = " + "f(" * depth + "1" + ")" * depth,
    ]
    settings_project(out, "\n".join(lines) + "\nDEBUG = True\n")


def int_overflow(out):
    """`(0 - 9223372036854775807 - 1) // (0 - 1)` (a panic)."""
    settings_project(out, "SECURE_HSTS_SECONDS = (0 - 9223372036854775807 - 1) // (0 - 1)\n")


def doubling(out, lines=40):
    """40 lines of `S = S + S` (481 bytes, 1 GiB)."""
    settings_project(out, "S = 'ab'\n" + "S = S + S\n" * lines + "DEBUG = True\n")


def alias_quadratic(out, items=3_000):
    """A 15 KB workflow: an anchor of 3,000 items aliased 3,000 times (4 GB)."""
    text = "A: &a [" + ", ".join(["x"] * items) + "]\nB: [" + ", ".join(["*a"] * items) + "]\n"
    for path in [".github/workflows/ci.yml", ".github/dependabot.yml", "bandit.yaml",
                 ".pre-commit-config.yaml", "action.yml"]:
        write(os.path.join(out, path), text)


def star_cycle(out, modules=12):
    """12 settings modules star-importing each other (over a minute)."""
    write(os.path.join(out, "manage.py"), MANAGE.replace("proj.settings", "proj.s0_settings"))
    write(os.path.join(out, "proj", "__init__.py"), "")
    for i in range(modules):
        imports = "".join(f"from .s{j}_settings import *\n" for j in range(modules) if j != i)
        write(os.path.join(out, "proj", f"s{i}_settings.py"),
              f"{imports}INSTALLED_APPS = []\nMIDDLEWARE = []\nDEBUG = True\nX{i} = 1\n")


def flow_nesting(out, depth=200_000):
    """400 KB of `[[[...]]]` in dependabot.yml (93 s in libyaml)."""
    write(os.path.join(out, ".github", "dependabot.yml"),
          "version: 2\nupdates: " + "[" * depth + "]" * depth + "\n")


def flask_long_line(out, calls=1_700):
    """A 28 KB app.py with one long broken line (77 s of tree-sitter `parent()`)."""
    write(os.path.join(out, "app.py"), "from flask import Flask\napp = Flask(__name__)\nx = "
          + "app.run(debug=1) " * calls + "\n")


def pip_install(out, packages=500_000):
    """`RUN pip install p0 ... p499999` (4 MB; over 60 s)."""
    write(os.path.join(out, "Dockerfile"), "FROM python:3.12\nRUN pip install "
          + " ".join(f"p{i}" for i in range(packages)) + "\n")


def stages(out, count=200_000):
    """200,000 `FROM python AS a` lines (53 s, quadratic stage lookup)."""
    write(os.path.join(out, "Dockerfile"), "FROM python AS a\n" * count)


def run_expressions(out, count=200_000):
    """One 8 MB `run:` with 200,000 `${{ github.event.issue.title }}` (over 120 s)."""
    write(os.path.join(out, ".github", "workflows", "ci.yml"),
          "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
          "      - run: echo " + "${{ github.event.issue.title }} " * count + "\n")


def one_line_text(out, count=8_000):
    """8,000 findings on one line, rendered as text (4.7 s against 0.15 s as JSON)."""
    run_expressions(out, count)


def template_loop(out):
    """A project check whose message template loops over a long value (over 30 s)."""
    long = "a" * 1000
    write(os.path.join(out, "harden.toml"), 'checks = ["my-checks"]\nselect = ["demo"]\n')
    write(os.path.join(out, "my-checks", "demo", "loop.toml"), f"""id = "demo-loop"
title = "Debug is on"
severity = "high"
kinds = ["yaml-config"]
message = "{{% for a in value %}}{{% for b in value %}}{{% for c in value %}}x{{% endfor %}}{{% endfor %}}{{% endfor %}}"
[docs]
why = "A message template that loops."
fix = "None."
[example.bad]
"app.yml" = "debug: on\\n"
[example.good]
"app.yml" = "debug: off\\n"
[match]
type = "yaml-value"
path = ["debug"]
equals = ["on", "{long}"]
""")
    write(os.path.join(out, "app.yml"), f"debug: {long}\n")


SHAPES = {"big-list": big_list, "gitignore": gitignore, "req-chain": req_chain,
          "dependabot": dependabot, "long-concat": long_concat, "deep-nesting": deep_nesting,
          "int-overflow": int_overflow, "doubling": doubling, "alias-quadratic": alias_quadratic,
          "star-cycle": star_cycle, "flow-nesting": flow_nesting,
          "flask-long-line": flask_long_line, "pip-install": pip_install, "stages": stages,
          "run-expressions": run_expressions, "one-line-text": one_line_text,
          "template-loop": template_loop}


# What each shape is run with (after the binary).
COMMANDS = {
    "dependabot": ["fix", "--diff", "--select", "dependabot-cooldown-missing"],
    "one-line-text": ["check", "--format", "text", "--output", "/dev/null"],
}
CHECK = ["check", "--format", "json", "--output", "/dev/null"]
# Seconds after which a run is killed and reported as such.
TIMEOUT = 300


def measure(harden, path, name):
    """Run harden on one shape under /usr/bin/time -v: (wall seconds, peak RSS MB, exit)."""
    args = [harden] + COMMANDS.get(name, CHECK) + [path]
    try:
        result = subprocess.run(["/usr/bin/time", "-v"] + args, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return float(TIMEOUT), 0.0, "killed"
    fields = {}
    for line in result.stderr.splitlines():
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    wall = fields.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0:0")
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss = int(fields.get("Maximum resident set size (kbytes)", "0")) / 1024
    return seconds, rss, fields.get("Exit status", "?")


def main():
    args = sys.argv[1:]
    harden = None
    if "--run" in args:
        at = args.index("--run")
        harden = os.path.abspath(args[at + 1])
        del args[at:at + 2]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    for name in args[1:] or SHAPES:
        path = os.path.join(out, name)
        SHAPES[name](path)
        if harden:
            seconds, rss, code = measure(harden, path, name)
            print(f"{name}: {seconds:.1f} s, {rss:.0f} MB, exit {code}, load {os.getloadavg()[0]:.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
