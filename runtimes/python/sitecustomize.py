"""Parallel Lab's hook into every Python process of a traced run.

The host puts this folder first on PYTHONPATH, so `site` imports this file in the main
interpreter and in every spawn / forkserver child (they inherit the environment). It
starts the tracer only when the host asked for it, then runs the `sitecustomize` this
file shadows, so a learner's or a distribution's own sitecustomize keeps working.
"""

import os
import sys


def _start_tracer():
    if "PARALLEL_LAB_SOCKET" not in os.environ:
        return
    try:
        import parallel_lab_tracer

        parallel_lab_tracer.start()
    except Exception:
        pass  # The tracer must never change the program: a broken tracer is a silent one.


def _is_this_folder(entry, this_folder):
    try:
        return os.path.normcase(os.path.abspath(entry)) == this_folder
    except Exception:
        return False


def _report_like_site(error):
    # What site.execsitecustomize prints for a failing sitecustomize: the learner sees
    # exactly what they would have seen without Parallel Lab in between.
    if sys.flags.verbose:
        sys.excepthook(*sys.exc_info())
    else:
        sys.stderr.write(
            "Error in sitecustomize; set PYTHONVERBOSE for traceback:\n"
            "%s: %s\n" % (error.__class__.__name__, error)
        )


def _run_shadowed_sitecustomize():
    """Imports the next `sitecustomize` on sys.path as if site had found it first.

    A plain nested import (with this folder hidden from sys.path) gives the shadowed file
    the normal import semantics (__file__, __spec__, cached bytecode, zip entries) without
    loading importlib. When it succeeds it replaces this module in sys.modules, which is
    what the import machinery then hands to site.
    """
    this_folder = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
    this_module = sys.modules.pop("sitecustomize", None)
    hidden = [(i, entry) for i, entry in enumerate(sys.path) if _is_this_folder(entry, this_folder)]
    for index, _entry in reversed(hidden):
        del sys.path[index]
    try:
        import sitecustomize  # noqa: F401  (the shadowed one)
    except ImportError as error:
        sys.modules["sitecustomize"] = this_module
        if error.name != "sitecustomize":
            _report_like_site(error)
    except Exception as error:
        sys.modules["sitecustomize"] = this_module
        _report_like_site(error)
    finally:
        for index, entry in hidden:
            sys.path.insert(index, entry)


# The tracer starts first so that it sees imports the shadowed sitecustomize makes.
_start_tracer()
try:
    _run_shadowed_sitecustomize()
except Exception:
    pass
