#!/usr/bin/env python3
"""Agreement with Django's own deploy check on real production settings modules.

For each application of bench/precision.py whose sdist is in --cache (run precision.py first:
it is the one that downloads), this script:

1. asks `harden project --format json` which settings modules are production entries, and
   runs `harden check --profile baseline --format json` on the tree;
2. loads each entry module in a child Python that has Django installed (--python), with the
   environment unset, and runs `run_checks(include_deployment_checks=True, tags=["security"])`
   on its uppercase names;
3. compares Django's warnings with harden's django-* findings on that module, through the
   Django ids each check names in its references (`Django security.W004`).

THIS RUNS THE APPLICATIONS' SETTINGS CODE (harden never does; Django's check has to). Run it
only on the sdists precision.py downloaded, in a throwaway checkout. The child process gets an
empty environment. Imports the settings make that the Django venv cannot satisfy (the
project's own dependencies) are replaced by inert stub modules, and settings whose value came
from a stub are dropped (Django's default applies) and listed. INSTALLED_APPS is kept to
`django.*` apps and DATABASES, CACHES, TEMPLATES, LOGGING, STORAGES and AUTH_USER_MODEL are
dropped: the security checks read settings only, and the project's apps cannot be imported
without their dependencies.

    python3 bench/django_agreement.py --harden target/release/harden \\
        --python target/django-venv/bin/python [--only NAME] [--json OUT]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from precision import PROJECTS, prepare  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# Runs in the child: load one settings module by name, run Django's security checks on it.
CHILD = r'''
import importlib, importlib.abc, importlib.machinery, json, sys, traceback, types

root, module_name = sys.argv[1], sys.argv[2]
# The module's package root, then the directories manage.py runs from (their sys.path[0]).
sys.path[:0] = [root] + sys.argv[3:]

class Stub:
    """Whatever a missing dependency is asked for: inert, falsy, empty."""
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return Stub()
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub()
    def __getitem__(self, key): return Stub()
    def __iter__(self): return iter(())
    def __bool__(self): return False
    def __len__(self): return 0
    def __lt__(self, other): return False
    __le__ = __gt__ = __ge__ = __lt__
    def __add__(self, other): return Stub()
    __radd__ = __sub__ = __mul__ = __or__ = __ror__ = __add__
    def __str__(self): return ""
    def __fspath__(self): return __import__("os").environ["HOME"]
    def __mro_entries__(self, bases): return (object,)

stubbed = []

class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        # The standard library's optional modules (`_winapi`, `winreg`) must stay missing:
        # code probes them to learn the platform.
        top = name.split(".")[0]
        if top in ("django", "encodings") or top in sys.stdlib_module_names:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        def attribute(attr):
            if attr.startswith("__"):
                raise AttributeError(attr)
            return Stub()
        module.__getattr__ = attribute
        stubbed.append(spec.name)
        return module
    def exec_module(self, module):
        pass

sys.meta_path.append(StubFinder())
# The application is not installed: its metadata lookups get a placeholder.
import importlib.metadata as metadata
_from_name = metadata.Distribution.from_name.__func__
class Placeholder:
    version = "0.0.0"
    metadata = {"Version": "0.0.0"}
    entry_points = ()
    files = ()
    requires = ()
def from_name(cls, name):
    try:
        return _from_name(cls, name)
    except metadata.PackageNotFoundError:
        return Placeholder()
metadata.Distribution.from_name = classmethod(from_name)
result = {"stubbed": stubbed, "dropped": [], "error": None, "ids": []}
try:
    module = importlib.import_module(module_name)
except BaseException as error:  # the module's own failure is the result
    frame = traceback.extract_tb(error.__traceback__)[-1]
    result["error"] = f"{type(error).__name__}: {error} ({frame.filename}:{frame.lineno})"
    print(json.dumps(result))
    sys.exit(0)

def from_stub(value, depth=0):
    if isinstance(value, Stub):
        return True
    if depth > 4:
        return False
    if isinstance(value, (list, tuple, set)):
        return any(from_stub(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(from_stub(v, depth + 1) for v in value.values())
    return False

names = {}
for name in dir(module):
    if not name.isupper():
        continue
    value = getattr(module, name)
    if from_stub(value):
        result["dropped"].append(name)
        continue
    names[name] = value
for name in ("DATABASES", "CACHES", "TEMPLATES", "LOGGING", "LOGGING_CONFIG", "STORAGES",
             "AUTH_USER_MODEL", "ROOT_URLCONF", "SESSION_ENGINE", "MESSAGE_STORAGE",
             "CSRF_FAILURE_VIEW", "DEFAULT_FILE_STORAGE", "STATICFILES_STORAGE"):
    names.pop(name, None)
names["INSTALLED_APPS"] = [a for a in names.get("INSTALLED_APPS", [])
                           if isinstance(a, str) and a.startswith("django.")]
from django.conf import settings
try:
    settings.configure(**names)
    import django
    django.setup()
    from django.core.checks import run_checks
    messages = run_checks(include_deployment_checks=True, tags=["security"])
    result["ids"] = sorted({m.id for m in messages})
except BaseException as error:
    result["error"] = f"django: {type(error).__name__}: {error}"
print(json.dumps(result))
'''

DJANGO_ID = re.compile(r"Django (security\.[WE]\d+)")


def check_ids() -> dict:
    """harden check id -> the Django ids its references name."""
    out = {}
    for path in (REPO / "checks" / "django").glob("*.toml"):
        text = path.read_text()
        ident = re.search(r'^id = "([^"]+)"', text, re.M)
        if ident:
            out[ident.group(1)] = DJANGO_ID.findall(text)
    return out


def module_name(path: str, tree: Path) -> tuple:
    """A settings file's dotted module name and the sys.path root it imports from."""
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    # The longest package chain (directories with __init__.py) above the file.
    start = len(parts) - 1
    while start > 0 and (tree.joinpath(*parts[:start]) / "__init__.py").exists():
        start -= 1
    if not (tree.joinpath(*parts[: start + 1]) / "__init__.py").exists() and start < len(parts) - 1:
        start += 1
    root = tree.joinpath(*parts[:start]) if start else tree
    return ".".join(parts[start:]), root


def run(args, name: str, version: str, workdir: Path, ids: dict) -> list:
    archive = next(Path(args.cache).glob(f"{name}-{version}.tar.gz"), None)
    if archive is None:
        print(f"{name}: no sdist in {args.cache} (run bench/precision.py first)", file=sys.stderr)
        return []
    # A git checkout, as precision.py makes it: some sdists carry a `.gitignore` of `*`.
    tree = prepare(archive, None, workdir)
    model = json.loads(subprocess.run([args.harden, "project", "--format", "json", str(tree)],
                                      capture_output=True, text=True).stdout)
    report = json.loads(subprocess.run(
        [args.harden, "check", "--profile", "baseline", "--format", "json", str(tree)],
        capture_output=True, text=True).stdout)
    rows = []
    for settings in model.get("settings", []):
        if settings.get("scope") != "production" or not settings.get("entry"):
            continue
        path = settings["path"]
        # harden's findings on the module that have a Django counterpart.
        found = sorted({
            finding["check"] for finding in report.get("findings", [])
            if finding.get("path") == path and not finding.get("suppressed")
            and ids.get(finding["check"])
        })
        dotted, root = module_name(path, tree)
        (workdir / "home").mkdir(exist_ok=True)
        manage = sorted(str(p.parent) for p in tree.rglob("manage.py"))
        child = subprocess.run([args.python, "-c", CHILD, str(root), dotted, *manage],
                               capture_output=True, text=True, cwd=root,
                               env={"PATH": os.environ.get("PATH", ""), "HOME": str(workdir / "home")},
                               timeout=120)
        try:
            django = json.loads(child.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            django = {"error": child.stderr.strip().splitlines()[-1:] or "no output", "ids": []}
        rows.append({
            "project": name, "module": dotted, "path": path,
            "django": django.get("ids", []), "harden": found,
            "error": django.get("error"), "dropped": django.get("dropped", []),
            "stubbed": sorted({s.split(".")[0] for s in django.get("stubbed", [])}),
        })
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--harden", default=str(REPO / "target/release/harden"))
    parser.add_argument("--python", required=True, help="a Python with Django installed")
    parser.add_argument("--cache", default=str(REPO / "target/bench/dl"))
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--json")
    args = parser.parse_args()
    ids = check_ids()
    # Django ids harden has a check for; the others (E-level configuration errors, checks of
    # settings harden does not read) are listed but not counted.
    known = {i for v in ids.values() for i in v}
    rows = []
    for name, version in PROJECTS:
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            rows.extend(run(args, name, version, Path(tmp), ids))
    agree = django_total = harden_total = harden_agree = 0
    for row in rows:
        django = {i for i in row["django"] if i in known}
        checks = row["harden"]
        found = {i for check in checks for i in ids.get(check, [])}
        print(f"{row['project']}  {row['module']}  ({row['path']})")
        if row["error"]:
            print(f"  Django could not judge it: {row['error']}")
            print(f"  harden: {' '.join(checks) or '-'}")
            continue
        agree += len(django & found)
        django_total += len(django)
        harden_total += len(checks)
        harden_agree += sum(1 for c in checks if set(ids.get(c, [])) & django)
        print(f"  both:        {' '.join(sorted(django & found)) or '-'}")
        print(f"  Django only: {' '.join(sorted(django - found)) or '-'}")
        print(f"  harden only: {' '.join(c for c in checks if not set(ids.get(c, [])) & django) or '-'}")
        other = sorted(set(row["django"]) - known)
        if other:
            print(f"  not compared (no harden check): {' '.join(other)}")
        if row["dropped"]:
            print(f"  dropped (came from stubs): {' '.join(row['dropped'])}")
        if row["stubbed"]:
            print(f"  stubbed imports: {' '.join(row['stubbed'][:12])}")
    print(f"\nDjango warnings {django_total}, found by harden {agree} "
          f"(recall {agree / max(django_total, 1):.2f}); harden findings with a Django id "
          f"{harden_total}, Django agrees on {harden_agree} "
          f"(precision {harden_agree / max(harden_total, 1):.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
