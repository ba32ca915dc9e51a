"""Manager() objects: every call on a proxy, and the objects the learner creates.

Every method of every proxy of multiprocessing.managers (AcquirerProxy, EventProxy, the
AutoProxy of a Queue, DictProxy, ...) sends its request and reads the reply in one place,
BaseProxy._callmethod: wrapped here, it sees each call once it has returned, with the
learner's line above it (managers/calls.py says what each call becomes). BaseManager._create
is wrapped to learn where the learner's `manager.Lock()` made each object (its site).

The wrapper adds no frame to the tracebacks a manager's exception leaves (channels/wrappers.py,
tracebacks.py).
"""

import sys

from .. import clock, learner_names, lifecycle, replacements, sites
from ..channels.wrappers import drop_own_frame, like
from ..managers import calls, live_waits, referents
from ..quiet import quietly

_monotonic_ns = clock.monotonic_ns

NOT_TRACED = (
    "Calls on Manager() objects are not traced with this Python (its multiprocessing.managers "
    "has no BaseProxy._callmethod): their locks, queues and calls are missing from the panel."
)


def patch(managers):
    base = getattr(managers, "BaseProxy", None)
    original_callmethod = getattr(base, "_callmethod", None)
    if original_callmethod is None:
        lifecycle.warn(NOT_TRACED)
        return
    referents.configure(managers)
    calls.register_end_hook = _end_hook_registrar(managers.util)
    replacements.replace(base, "_callmethod", _traced_callmethod(original_callmethod))
    manager_class = getattr(managers, "BaseManager", None)
    original_create = getattr(manager_class, "_create", None)
    if original_create is not None:
        replacements.replace(manager_class, "_create", _noting_create(original_create))


def _traced_callmethod(callmethod):
    watched = live_waits.WATCHED_METHODS

    def _callmethod(self, methodname, args=(), kwds={}):
        start_ns = _monotonic_ns()
        watch = live_waits.watch(self, methodname, args, start_ns, sys._getframe(1)) if methodname in watched else None
        try:
            result = callmethod(self, methodname, args, kwds)
        except BaseException as error:
            if watch is not None:
                watch.pending = None
            calls.failed(self, methodname, error, start_ns, sys._getframe(1))
            drop_own_frame(error)
            raise
        if watch is not None:
            watch.pending = None
        calls.called(self, methodname, args, result, start_ns, sys._getframe(1))
        return result

    return like(callmethod, _callmethod)


def _noting_create(create):
    # Python 3.8 declares _create(*args, **kwds); later ones (self, typeid, /, *args, **kwds).
    def _create(*args, **kwds):
        try:
            result = create(*args, **kwds)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _created(args[0] if args else None, result, sys._getframe(1))
        return result

    return like(create, _create)


@quietly
def _created(manager, result, frame):
    # (Token, exposed); `frame` is the manager's generated method (`manager.Lock`), called
    # from the learner's line: `lock = manager.Lock()` names it, as for the other locks.
    token = result[0]
    caller = frame.f_back
    name = learner_names.name_at(caller, (token.typeid,)) if caller is not None else None
    referent = referents.created(manager, token, sites.site_of(frame), name if isinstance(name, str) else None)
    if referent is not None:
        calls.created(referent)


def _end_hook_registrar(util):
    # As for the SemLocks (patches/synchronize.py): multiprocessing's finalizers run at the end
    # of the main and of every child, before the tracer's last flush; the lowest priority last.
    def register(report):
        util.Finalize(None, report, exitpriority=-(2**31))

    return register
