"""Every multiprocessing child reports what it is and how it ended, from its bootstrap.

BaseProcess._bootstrap runs the child's target in every start method and returns its exit
code. Fork children then leave through os._exit (no atexit), so the end must be reported
here. _bootstrap catches and prints everything the target raises itself, so this wrapper
is never on the path of a traceback the learner sees. It returns `SystemExit.code` as it is
when that is an int, so `sys.exit(True)` returns True and `sys.exit(300)` 300: the end
reports the code the parent sees (1 and 44 on POSIX).
"""

from .. import lifecycle, wire
from ..own_exit import exit_status

# Targets multiprocessing gives the processes of its pools, as (module, qualified name).
POOL_WORKER_TARGETS = (
    ("multiprocessing.pool", "worker"),
    ("concurrent.futures.process", "_process_worker"),
    # loky's own executor: joblib's default backend, and loky on its own.
    ("joblib.externals.loky.process_executor", "_process_worker"),
    ("loky.process_executor", "_process_worker"),
)
# The target of a manager's server process: type(manager)._run_server.
MANAGER_TARGET = ("multiprocessing.managers", "_run_server")


def patch(process_module):
    original_bootstrap = process_module.BaseProcess._bootstrap

    def _bootstrap(self, *args, **kwargs):
        lifecycle.announce_role(_role_of(self), self.name)
        exit_code = None
        try:
            exit_code = original_bootstrap(self, *args, **kwargs)
        finally:
            lifecycle.end(exit_status(exit_code))
        return exit_code

    process_module.BaseProcess._bootstrap = _bootstrap


def _role_of(process):
    target = getattr(process, "_target", None)
    key = (getattr(target, "__module__", None), getattr(target, "__qualname__", None))
    if key in POOL_WORKER_TARGETS:
        return wire.POOL_WORKER
    if (key[0], getattr(target, "__name__", None)) == MANAGER_TARGET:
        return wire.MANAGER
    return wire.PROCESS
