"""Each call on a manager proxy, seen once it has returned: lock cycles, messages, calls.

Every method of every proxy goes through BaseProxy._callmethod: one request to the manager's
server and one reply. The call's times are read in the calling process: a lock's recorded
hold runs from its acquire's return to its release's request, inside the time the server
really held it for this process, so two processes' recorded holds never overlap; a wait is
the acquire's whole round trip.

- Lock, RLock, Semaphore, BoundedSemaphore, Condition: acquire ... release is one cycle of
  the referent's lock (RLock re-entries fold into the outer one); an acquire that failed
  or timed out a cycle with acquiredMs null; a release without an acquire here a release by
  another process (lock-release). Condition.wait ends the hold where it starts, and its
  re-acquire is a cycle requested there and acquired when it returns.
- Event.wait and Barrier.wait: a cycle of kind Event / Barrier, acquired = released = the
  return; null when it timed out or broke.
- Queue: put and get are messages on the queue's channel; their bytes are what crossed the
  connection (the request for a put, the reply for a get), measured where Connection counts
  bytes (channels/sizes.py), with no second pickling.
- Any other object (dict, list, Namespace, Value, Array, a registered type): every call is
  one message from the caller to the manager, its bytes the request and the reply, its wait
  the round trip. `d[k] += 1` is two calls, and shows as two.

Open cycles are `[tid, request_ns, acquired_ns, site, depth]`, per referent and process.
"""

import os

from .. import clock, lifecycle, process_id, record_buffer, sites, thread_id, wire
from ..channels import events as channel_events, sizes as channel_sizes
from ..locks import lock_state, records as lock_records
from . import referents
from .referents import ATTRIBUTE, BARRIER, CALLS, CONDITION, EVENT, LOCK, QUEUE

_now = clock.monotonic_ns
_tid = thread_id.current

# referent id -> open cycles, in this process
_holds = {}
# referent ids whose lock-new this process has sent
_announced = set()
# typeids whose calls could not be traced here (warned once each)
_untraced = set()
# the pid whose end reports the holds it leaves open
_end_hook_pid = [None]
# set by patches/managers.py: registers a function to run when this process ends
register_end_hook = None

UNTRACED_WARNING = (
    "Some calls on a Manager() {typeid} could not be traced: the panel does not show them "
    "(the program itself ran as usual)."
)


def created(referent):
    """The learner made `referent` in this process: announced here, with its creation site,
    even when only other processes use it."""
    if referent.role is CALLS or referent.role is QUEUE:
        channel_events.announce(referent.end.channel)
    elif referent.id not in _announced:
        _announce(referent)


def called(proxy, methodname, args, result, start_ns, frame):
    """A call that returned `result`; `frame` is the proxy method's (the caller of _callmethod)."""
    end_ns = _now()
    try:
        referent = proxy.__dict__.get(ATTRIBUTE) or referents.of(proxy)
        role = referent.role
        if role is CALLS:
            _message(referent, "send", start_ns, end_ns, _sent() + _received(), frame)
        elif role is QUEUE:
            if methodname in ("put", "put_nowait"):
                _message(referent, "put", start_ns, end_ns, _sent(), frame)
            elif methodname in ("get", "get_nowait"):
                _message(referent, "get", start_ns, end_ns, _received(), frame)
        elif methodname == "acquire":
            if role is LOCK or role is CONDITION:
                _acquired(referent, start_ns, end_ns, result is not False, frame)
        elif methodname == "release":
            if role is LOCK or role is CONDITION:
                _released(referent, start_ns, frame)
        elif methodname == "wait":
            if role is CONDITION:
                _condition_waited(referent, start_ns, end_ns, frame)
            elif role is EVENT:
                _signal_wait(referent, start_ns, end_ns, result is not False, frame)
            elif role is BARRIER:
                _signal_wait(referent, start_ns, end_ns, True, frame)
    except Exception:
        _cannot_trace(proxy)


def failed(proxy, methodname, error, start_ns, frame):
    """A call that raised `error` (the manager's exception, or the connection's)."""
    end_ns = _now()
    try:
        referent = proxy.__dict__.get(ATTRIBUTE) or referents.of(proxy)
        role = referent.role
        if role is CALLS:
            # d[missing] went to the manager and back; a broken connection did not.
            if not isinstance(error, (OSError, EOFError)):
                _message(referent, "send", start_ns, end_ns, _sent() + _received(), frame)
        elif methodname == "acquire" and (role is LOCK or role is CONDITION):
            _acquired(referent, start_ns, end_ns, False, frame)
        elif methodname == "wait" and (role is EVENT or role is BARRIER):
            _signal_wait(referent, start_ns, end_ns, False, frame)
    except Exception:
        _cannot_trace(proxy)


# ---- Messages ----------------------------------------------------------------------------


def _sent():
    return channel_sizes.last_sent() or 0


def _received():
    return channel_sizes.last() or 0


def _message(referent, op, start_ns, end_ns, size, frame):
    channel_events.record_at(op, referent.end, start_ns, end_ns, size, sites.site_of(frame))


# ---- Locks ---------------------------------------------------------------------------------


def _announce(referent):
    _announced.add(referent.id)
    record_buffer.add(
        wire.lock_new(process_id.current(), referent.id, referent.kind, referent.api, False, referent.site_here(), referent.name)
    )


def _cycle(tid, referent, request_ns, acquired_ns, released_ns, site, now_ns):
    if referent.id not in _announced:
        _announce(referent)
    lock_records.cycles.add((tid, referent.id, request_ns, acquired_ns, released_ns, site), now_ns)  # wire.LOCK_CYCLE_FIELDS


def _acquired(referent, start_ns, end_ns, acquired, frame):
    tid = _tid()
    site = sites.site_of(frame)
    if not acquired:
        _cycle(tid, referent, start_ns, None, None, site, end_ns)
        return
    holds = _holds.get(referent.id)
    if holds is None:
        holds = _holds[referent.id] = []
        _watch_end()
    if referent.recursive:
        for hold in holds:
            if hold[0] == tid:
                hold[4] += 1
                return
    holds.append([tid, start_ns, end_ns, site, 1])
    if referent.id not in _announced:
        _announce(referent)


def _released(referent, start_ns, frame):
    tid = _tid()
    holds = _holds.get(referent.id) or ()
    index = None
    for at in range(len(holds) - 1, -1, -1):
        if holds[at][0] == tid:
            index = at
            break
    if index is None and holds and not referent.recursive:
        index = 0  # released by another thread of this process: ends the oldest hold
    if index is None:
        if referent.id not in _announced:
            _announce(referent)
        lock_records.foreign_releases.append((tid, referent.id, start_ns, sites.site_of(frame)))  # wire.LOCK_RELEASE_FIELDS
        return
    hold = holds[index]
    if hold[4] > 1:
        hold[4] -= 1
        return
    del holds[index]
    _cycle(hold[0], referent, hold[1], hold[2], start_ns, hold[3], start_ns)


def _condition_waited(referent, start_ns, end_ns, frame):
    """Condition.wait released the lock when it began and had it again when it returned."""
    tid = _tid()
    holds = _holds.get(referent.id)
    depth = 1
    if holds:
        for at in range(len(holds) - 1, -1, -1):
            hold = holds[at]
            if hold[0] == tid:
                depth = hold[4]
                del holds[at]
                _cycle(tid, referent, hold[1], hold[2], start_ns, hold[3], start_ns)
                break
    elif holds is None:
        holds = _holds[referent.id] = []
        _watch_end()
    holds.append([tid, start_ns, end_ns, sites.site_of(frame), depth])


def _signal_wait(referent, start_ns, end_ns, happened, frame):
    """Event.wait / Barrier.wait: a cycle that ends where it is acquired."""
    at = end_ns if happened else None
    _cycle(_tid(), referent, start_ns, at, at, sites.site_of(frame), end_ns)


def current_tid():
    return _tid()


def report_open(referent, request_ns, tid, frame):
    """A call of `tid` on `referent` still waiting: sent at once, with the locks `tid` holds."""
    if referent.id not in _announced:
        _announce(referent)
    held = []
    for lock_id, holds in list(_holds.items()):
        if lock_id != referent.id:  # a Condition's wait has let its own lock go
            held.extend((lock_id, hold[2], hold[3]) for hold in holds if hold[0] == tid)
    for state in list(lock_state._states.values()):
        held.extend(state.holds_of(tid))
    lock_records.lock_open(tid, referent.id, request_ns, sites.site_of(frame), held)


def _watch_end():
    pid = os.getpid()
    if _end_hook_pid[0] != pid and register_end_hook is not None:
        _end_hook_pid[0] = pid
        register_end_hook(report_unreleased)


def report_unreleased():
    """At this process's end: every cycle it opened on a manager lock and did not close."""
    try:
        now = _now()
        for lock_id, holds in list(_holds.items()):
            for hold in holds:
                lock_records.cycles.add((hold[0], lock_id, hold[1], hold[2], None, hold[3]), now)  # wire.LOCK_CYCLE_FIELDS
            del holds[:]
    except Exception:
        pass


# ---- What could not be traced ------------------------------------------------------------------


def _cannot_trace(proxy):
    try:
        typeid = str(getattr(getattr(proxy, "_token", None), "typeid", "object"))
        if typeid not in _untraced:
            _untraced.add(typeid)
            lifecycle.warn(UNTRACED_WARNING.format(typeid=typeid))
    except Exception:
        pass


def _forget_parent_holds():
    # The parent's holds are the parent's; the child announces what it uses itself.
    _holds.clear()
    _announced.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_holds)
