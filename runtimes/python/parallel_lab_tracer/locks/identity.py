"""What a lock is, decided once where it is created and carried to every process using it.

The learner's threading locks are simpler (for_threading): made by the learner's own line,
used in one process. For multiprocessing's:

- `id`: the same in every process: the semaphore's name where it has one (POSIX, spawn and
  forkserver contexts), otherwise an id assigned here (fork context, Windows), which fork
  children inherit and pickling carries (pickled_state.py).
- `kind`, `api`, `internal`: read from the frames that created the lock. multiprocessing
  builds every primitive through a recognisable chain of calls, e.g. the learner's
  `Value("i")` runs context.Value -> sharedctypes.Value -> context.RLock -> RLock.__init__,
  and a Queue's lock is created under queues.Queue.__init__.
- `name`: as the learner's code names it, read from the line that creates it
  (learner_names.py): `lock`, `self.lock`, `counter.get_lock()` for a Value's lock; None
  when the line names nothing (the host then shows the kind and the line).
- `role`: the part the SemLock plays inside a Condition, Event or Barrier (see roles.py);
  `partner`: the id of the SemLock that role refers to.
"""

import itertools
import os
import sys

from .. import learner_names, sites

# Roles. The lock of a Condition is traced like any lock (kind "Condition"); the others
# exist only inside a Condition, Event or Barrier.
CONDITION = "condition"
SLEEPING = "condition-sleeping"  # released when a wait starts: marks its start
WOKEN = "condition-woken"
WAITING = "condition-waiting"  # blocks during a wait: its live wait is the Condition's
EVENT_FLAG = "event-flag"  # the Event itself
EVENT_LOCK = "event-lock"  # the Event's Condition lock: sees Event.wait begin and end
BARRIER = "barrier"  # the Barrier's Condition lock: stands for the Barrier
# A Queue's count of free places: put acquires it in one process, get releases it in
# another. No one holds it; a put blocked on a full queue is that message's wait, which
# the message records. Not traced at all: its methods stay the library's (traced_semlock).
QUEUE_CAPACITY = "queue-capacity"

# The id of a Condition's wait for notify: its lock's id and this (lock_state.notify_waited).
NOTIFY_WAIT_SUFFIX = "/wait"
NOTIFY_WAIT_API = "Condition.wait"

# Roles whose own acquires and releases are cycles (and may take the fast paths).
TRACED_ROLES = (None, CONDITION)
# Roles whose own calls are not cycles (roles.py). An Event's flag and a Barrier's lock
# stand for the Event or Barrier, whose waits are the cycles; the lock inside an Event is
# the Event's workings, no lock of the learner's (its calls only mark where Event.wait
# begins and ends); a Condition's semaphores are counters that one process acquires and
# another releases, not locks anyone holds.
UNCOUNTED_ROLES = (EVENT_FLAG, EVENT_LOCK, BARRIER, SLEEPING, WOKEN, WAITING, QUEUE_CAPACITY)

# Condition.__init__ creates its three semaphores in this order.
_CONDITION_HELPERS = (("_sleeping_count", SLEEPING), ("_woken_count", WOKEN), ("_wait_semaphore", WAITING))

_API_BY_TOKEN = {"Value": "Value.get_lock", "Array": "Array.get_lock"}
_PRIMITIVES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier", "Value", "Array")

_assigned = itertools.count()


class LockIdentity(object):
    __slots__ = ("id", "kind", "api", "internal", "role", "partner", "creator_pid", "site", "name", "place", "per_process")

    def __init__(self, lock_id, kind, api, internal, role, partner, creator_pid, site, name=None, place=None,
                 per_process=False):
        self.id = lock_id
        self.kind = kind
        self.api = api
        self.internal = internal
        self.role = role
        self.partner = partner
        self.creator_pid = creator_pid
        self.site = site
        self.name = name
        # (file, line, function) of the creation site, carried to other processes (sites.place_of)
        self.place = place
        # A threading lock: a fork child's copy is another lock (lock_state renames it there).
        self.per_process = per_process

    def carried(self):
        """The identity as plain values, for pickling (the site is only valid in the creator)."""
        return (self.id, self.kind, self.api, self.internal, self.role, self.partner, self.creator_pid, self.name, self.place)

    @classmethod
    def arrived(cls, values):
        extra = tuple(values[7:]) + (None, None)
        return cls(*values[:7], site=None, name=extra[0], place=extra[1])

    def notify_wait(self):
        """The identity of the waits for notify of the Condition this lock belongs to."""
        name = self.name if self.role == CONDITION else None
        return LockIdentity(self.id + NOTIFY_WAIT_SUFFIX, "Condition", NOTIFY_WAIT_API, self.internal, None, self.id,
                            self.creator_pid, self.site, name, self.place, self.per_process)

    def site_here(self):
        """The creation site as this process's site id (site ids are per process)."""
        if self.creator_pid == os.getpid():
            return self.site
        return sites.site_of_place(self.place) if self.place is not None else None


def forked_id(lock_id, pid):
    """The id in fork child `pid` of a per-process lock: `<id>@<pid>`, the suffix of a
    Condition's waits kept last."""
    if lock_id.endswith(NOTIFY_WAIT_SUFFIX):
        return "%s@%d%s" % (lock_id[: -len(NOTIFY_WAIT_SUFFIX)], pid, NOTIFY_WAIT_SUFFIX)
    return "%s@%d" % (lock_id, pid)


def for_threading(kind, made_by, frame, role=None):
    """Identity of a threading object the learner's `frame` is making with a call of
    threading's `made_by` ("Lock", "Condition", ...): named as the line names it, sited there."""
    name = learner_names.name_at(frame, (made_by,))
    return LockIdentity(
        "threading-%d-%d" % (os.getpid(), next(_assigned)), kind, "threading." + made_by, False, role, None, os.getpid(),
        sites.site_of(frame), name if isinstance(name, str) else None, sites.place_of(frame), per_process=True,
    )


def unknown(lock, semlock):
    """A SemLock that reached _make_methods without its identity (never expected)."""
    name = type(lock).__name__
    return LockIdentity(_id_for(semlock), name, name, False, None, None, None, None)


def for_new_lock(lock, semlock, frame, state_of):
    """Identity of a SemLock being created; `frame` is its _make_methods caller's frame.

    `state_of(lock)` gives the tracer state of another SemLock (to link roles).
    """
    chain = _creation_chain(frame)
    own_class = type(lock).__name__
    tokens = [token for token, _ in chain]
    role, partner = _role(lock, own_class, chain, state_of)
    internal = bool(tokens) and tokens[0] not in _PRIMITIVES
    if role in (SLEEPING, WOKEN, WAITING, EVENT_LOCK):
        internal = True
    kind = {CONDITION: "Condition", EVENT_FLAG: "Event", BARRIER: "Barrier"}.get(role, own_class)
    if tokens:
        api = _API_BY_TOKEN.get(tokens[0], tokens[0])
    else:
        api = own_class
    learner = _learner_frame(frame)
    site = sites.site_of(learner) if learner is not None else None
    place = sites.place_of(learner) if learner is not None else None
    name = _name(learner, tokens, role, internal)
    return LockIdentity(_id_for(semlock), kind, api, internal, role, partner, os.getpid(), site, name, place)


# Roles whose SemLock is what the learner made (a Condition's lock stands for the Condition).
_NAMED_ROLES = (None, CONDITION, EVENT_FLAG, BARRIER)


def _name(learner, tokens, role, internal):
    """The learner's name for a lock they made: `lock`, `self.lock`, `counter.get_lock()`."""
    if learner is None or internal or not tokens or role not in _NAMED_ROLES:
        return None
    made = tokens[0]
    name = learner_names.name_at(learner, (made,))
    if not isinstance(name, str):
        return None
    return name + ".get_lock()" if made in ("Value", "Array") else name


def _id_for(semlock):
    name = getattr(semlock, "name", None)
    return name if name else "lock-%d-%d" % (os.getpid(), next(_assigned))


def _learner_frame(frame):
    """The first learner frame at or above `frame`; None past the process's bootstrap (see sites)."""
    while frame is not None:
        kind = sites.kind_of(frame.f_code)
        if kind != sites.LIBRARY:
            return frame if kind == sites.LEARNER else None
        frame = frame.f_back
    return None


def _creation_chain(frame):
    """(token, frame) of the library calls that led here, outermost first, repeats folded
    into their innermost frame (Condition.__init__ rather than context.Condition).

    A token names the primitive a frame builds ("Lock", "Condition", "Value", ...) or, for
    any other library code, the class or function it belongs to (an internal lock).
    """
    chain = []
    while frame is not None and sites.kind_of(frame.f_code) == sites.LIBRARY:
        token = _token(frame)
        if token is not None and (not chain or chain[-1][0] != token):
            chain.append((token, frame))
        frame = frame.f_back
    chain.reverse()
    return chain


def _token(frame):
    module = frame.f_globals.get("__name__", "")
    name = frame.f_code.co_name
    owner = frame.f_locals.get("self") if name == "__init__" else None
    if module in ("multiprocessing.context", "multiprocessing.synchronize", "multiprocessing.sharedctypes"):
        if owner is not None:
            name = type(owner).__name__
            if name.startswith("Synchronized"):
                return "Array" if "Array" in name or "String" in name else "Value"
        if name in _PRIMITIVES:
            return name
        return None  # plumbing: SemLock.__init__, _make_methods, synchronized(), ...
    if module.startswith("parallel_lab_tracer"):
        return None
    return type(owner).__name__ if owner is not None else name


def _role(lock, own_class, chain, state_of):
    """(role, partner id) of a SemLock created inside a Condition, Event or Barrier."""
    tokens = [token for token, _ in chain]
    if len(tokens) < 2:
        return None, None
    container, container_frame = chain[-2]
    if own_class == "BoundedSemaphore" and _is_queue(container_frame.f_locals.get("self")):
        return QUEUE_CAPACITY, None
    if container == "Condition":
        condition = container_frame.f_locals.get("self")
        if own_class == "RLock" and not hasattr(condition, "_lock"):
            in_barrier = len(tokens) >= 3 and tokens[-3] == "Barrier"
            return (BARRIER if in_barrier else CONDITION), None
        for attribute, role in _CONDITION_HELPERS:
            if not hasattr(condition, attribute):
                return role, _partner_id(getattr(condition, "_lock", None), state_of)
        return None, None
    if container == "Event":
        event = container_frame.f_locals.get("self")
        if own_class == "Semaphore":
            condition = getattr(event, "_cond", None)
            return EVENT_FLAG, _partner_id(getattr(condition, "_lock", None), state_of)
        return EVENT_LOCK, None
    return None, None


def _is_queue(owner):
    queues = sys.modules.get("multiprocessing.queues")
    return queues is not None and isinstance(owner, queues.Queue)


def _partner_id(lock, state_of):
    state = state_of(lock) if lock is not None else None
    return state.identity.id if state is not None else None
