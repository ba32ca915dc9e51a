"""Traces every multiprocessing lock: SemLock and what is built on it.

Lock, RLock, Semaphore, BoundedSemaphore and the locks of Value/Array are SemLocks;
Condition, Event and Barrier are built from SemLocks. Four points of SemLock see all of
their use (see locks/traced_semlock.py and locks/fast_paths.py): _make_methods (binds acquire/release per instance,
after creation and after unpickling), __enter__, __exit__, and __getstate__ (carries the
tracer's identity of the lock to the child, see locks/pickled_state.py).
"""

from .. import tracebacks
from ..locks import fast_paths, lock_state, roles, traced_semlock


def patch(synchronize):
    semlock_class = synchronize.SemLock
    if getattr(semlock_class, fast_paths.STATE, None) is not None:
        return
    original_make_methods = semlock_class._make_methods

    def _make_methods(self):
        traced_semlock.bind(self, original_make_methods)

    # Read before they are replaced: the entries of SemLock's own __enter__/__exit__.
    stand_ins = (
        tracebacks.stand_in_entry(semlock_class.__enter__, "__enter__", via="_semlock"),
        tracebacks.stand_in_entry(semlock_class.__exit__, "__exit__", via="_semlock"),
    )
    roles.configure(synchronize)
    lock_state.register_end_hook = _end_hook_registrar(synchronize.util)
    setattr(semlock_class, fast_paths.STATE, lock_state.UNTRACED)
    setattr(semlock_class, fast_paths.STAND_INS, stand_ins)
    semlock_class._make_methods = _make_methods
    semlock_class.__enter__ = fast_paths.enter
    semlock_class.__exit__ = fast_paths.exit
    semlock_class.__getstate__ = traced_semlock.traced_getstate(semlock_class.__getstate__)


def _end_hook_registrar(util):
    # multiprocessing runs its finalizers at the end of the main (atexit) and of every
    # child (its bootstrap calls util._exit_function, also before a fork child's
    # os._exit), before the tracer's last flush. The lowest priority runs last.
    def register(report):
        util.Finalize(None, report, exitpriority=-(2**31))

    return register
