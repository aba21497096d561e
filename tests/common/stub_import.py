"""Import fixed Python modules of a test case in a sandbox, with stub third-party modules.

Usage: python3 stub_import.py ROOT MODULE_PATH...

Each module is imported as the project would import it (its dotted path under ROOT), but
every import that is neither the standard library nor a file of the case gets a permissive
stub (django, environ, decouple, dj_database_url, sentry_sdk, ...): the project's real
dependencies never run. Environment variables are unset (os.environ is emptied).

A module passes when importing it succeeds or fails only the way a settings module with an
unset required variable fails (KeyError, or an error a stub raises). It fails on what a fix
can break: SyntaxError, NameError (a name used before its import), and ImportError of a
module the case contains. One line per failure on stdout: `MODULE_PATH: error`.
"""

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types


class Stub:
    """Any attribute, call, item or operation gives another stub; falsy and empty."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub()

    def __call__(self, *args, **kwargs):
        return Stub()

    def __getitem__(self, key):
        return Stub()

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False

    def __str__(self):
        return ""

    def __add__(self, other):
        return other

    __radd__ = __add__
    __or__ = __add__
    __ror__ = __add__
    __truediv__ = __add__
    __rtruediv__ = __add__

    def __mro_entries__(self, bases):
        return (object,)


class StubModule(types.ModuleType):
    __all__ = []
    __path__ = []

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Stub()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Stubs every module that is not stdlib and not a file of the case."""

    def __init__(self, root):
        self.root = root

    def find_spec(self, fullname, path, target=None):
        top = fullname.split(".")[0]
        if top in sys.stdlib_module_names or top in sys.builtin_module_names:
            return None
        if importlib.machinery.PathFinder.find_spec(fullname, path or [self.root]):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return StubModule(spec.name)

    def exec_module(self, module):
        pass


def main():
    root = os.path.abspath(sys.argv[1])
    sys.path[:] = [root] + [
        p for p in sys.path[1:] if "site-packages" not in p and "dist-packages" not in p
    ]
    sys.meta_path.append(StubFinder(root))
    sys.dont_write_bytecode = True
    os.environ.clear()
    for rel in sys.argv[2:]:
        name = rel[: -len(".py")].replace("/", ".")
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        try:
            importlib.import_module(name)
        except (SyntaxError, NameError) as e:
            print(f"{rel}: {type(e).__name__}: {e}")
        except ImportError as e:
            missing = (e.name or "").replace(".", "/")
            if missing and (
                os.path.exists(os.path.join(root, missing + ".py"))
                or os.path.isdir(os.path.join(root, missing))
            ):
                print(f"{rel}: ImportError: {e}")
        except BaseException:
            # A required variable that is unset, or something a stub cannot imitate: not
            # what this invariant is about.
            pass


main()
