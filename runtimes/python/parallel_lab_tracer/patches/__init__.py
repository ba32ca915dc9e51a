"""The tracer's patches, each applied right after the library module it changes has run.

A patch is a module of this package with a `patch(module)` function. The module itself is
imported only when its target is, so programs that never touch multiprocessing or
subprocess load none of this. To add one: write the module, add a line to TRACING_PATCHES.
"""

import sys

from .. import import_hooks

# (library module, patch module in this package)
TRACING_PATCHES = (
    ("multiprocessing.process", "process_bootstrap"),
    ("multiprocessing.popen_fork", "popen_observer"),  # also covers the spawn and forkserver Popen subclasses
    ("multiprocessing.popen_spawn_win32", "popen_observer"),
    ("multiprocessing.resource_tracker", "helper_processes"),
    ("multiprocessing.forkserver", "helper_processes"),
    ("multiprocessing.connection", "connection"),  # Pipe messages; every Connection's size probe
    ("multiprocessing.queues", "queues"),  # Queue / JoinableQueue / SimpleQueue messages
    ("multiprocessing.pool", "pool"),  # Pool ids and submits
    ("concurrent.futures.process", "futures_process"),  # ProcessPoolExecutor ids and submits
    ("multiprocessing.synchronize", "synchronize"),  # every lock, Condition, Event, Barrier
    ("threading", "threading_locks"),  # the learner's threading locks, Conditions, Events, Barriers
    ("multiprocessing.managers", "managers"),  # Manager() proxies: locks, queues, calls; the server's role
    ("subprocess", "subprocess_popen"),  # starts and exit codes of subprocess children
    ("threading", "threads"),  # every Thread's start and end: native id, name, CPU time
    # joblib: its loky executor (default backend), loky on its own, its multiprocessing backend
    ("joblib.externals.loky.process_executor", "loky_executor"),
    ("loky.process_executor", "loky_executor"),
    ("joblib.externals.loky.backend.reduction", "loky_reduction"),
    ("loky.backend.reduction", "loky_reduction"),
    ("joblib.externals.loky.backend.resource_tracker", "helper_processes"),
    ("loky.backend.resource_tracker", "helper_processes"),
    ("joblib.pool", "joblib_pool"),
    ("joblib.parallel", "joblib_parallel"),
)

# Not tracing but run configuration: applied even when the tracer cannot reach the host.
START_METHOD_PATCH = ("multiprocessing.context", "start_method")


def register(patches):
    for target, patch_module in patches:
        import_hooks.after_import(target, _imported_when_needed(patch_module))


def _imported_when_needed(patch_module):
    def patch(module):
        package = __name__ + "." + patch_module
        __import__(package)
        sys.modules[package].patch(module)

    return patch
