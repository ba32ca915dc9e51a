"""Who created a channel: the learner, or the library on the learner's behalf (internal).

The frames right above a creation often only pass it on: the learner's mp.Queue() goes
through the context, a JoinableQueue through Queue.__init__, every queue through Pipe(),
and the tracer's own wrappers sit in between. The first frame past those decides: a Pool's
or a ProcessPoolExecutor's own queues are created by multiprocessing or concurrent.futures.

A ProcessPoolExecutor also makes a pipe on which its threads wake its manager thread, in one
process: not a message between processes, and on every submit. It is not a channel at all;
nor is the same wake-up pipe of loky's executor (joblib's default backend).

joblib and loky create their pools' queues and pipes on the learner's behalf, as
multiprocessing does: theirs are internal too.
"""

from .. import learner_names, sites

_PASSING_ON = ("multiprocessing.context", "multiprocessing.queues", "multiprocessing.connection")
_TRACER_PACKAGE = __name__.rpartition(".")[0] + "."
_LIBRARY = ("multiprocessing.", "concurrent.futures.", "joblib.", "loky.")
# The calls that create a learner's channel, for its name (learner_names.py).
_CREATING_CALLS = ("Pipe", "Queue", "SimpleQueue", "JoinableQueue")
# (module, class) of the objects whose pipes wake a thread of their own process.
_WAKE_UPS = (
    ("concurrent.futures.process", "_ThreadWakeup"),
    ("joblib.externals.loky.process_executor", "_ThreadWakeup"),
    ("loky.process_executor", "_ThreadWakeup"),
)


def origin(frame):
    """(internal, site, name, place) for a channel being created by the code of `frame` and
    its callers; None for a pipe that only wakes a thread of this process. `name` is the
    learner's (a str, or a list of the names of a Pipe's two ends), None if not read;
    `place` the creation site as it travels to other processes (sites.place_of)."""
    site = sites.site_of(frame)
    while frame is not None:
        module = frame.f_globals.get("__name__") or ""
        if module not in _PASSING_ON and not module.startswith(_TRACER_PACKAGE):
            owner = frame.f_locals.get("self") if frame.f_code.co_name == "__init__" else None
            if owner is not None and (module, type(owner).__name__) in _WAKE_UPS:
                return None
            internal = module.startswith(_LIBRARY)
            return (internal, site) + _name_and_place(frame, internal)
        frame = frame.f_back
    return False, site, None, None


def _name_and_place(frame, internal):
    """The learner's name for the channel (`results`, or the names of a Pipe's two ends; None
    for the library's own) and the place of its creation (sites.place_of)."""
    while frame is not None:
        kind = sites.kind_of(frame.f_code)
        if kind == sites.LEARNER:
            name = None if internal else learner_names.name_at(frame, _CREATING_CALLS)
            return name, sites.place_of(frame)
        if kind == sites.BOOTSTRAP:
            break
        frame = frame.f_back
    return None, None
