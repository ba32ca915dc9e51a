"""A manager call that blocks, shown while it blocks: a Lock acquire, an Event, Barrier or
Condition wait that has not returned after LIVE_WAIT_S sends `lock-open` at once, as a
SemLock's does (locks/lock_state.py), so a deadlock on manager locks shows who waits and
what each holds.

The call waits inside BaseProxy._callmethod, in `conn.recv()` on this thread's connection to
the manager (one per thread and manager). The first time such a call goes out on a
connection, the connection gets an instance attribute `recv` that, while a wait is pending,
first polls for the reply for LIVE_WAIT_S, reports the wait if none came, then receives as
the class's recv does. Every other call, and every other connection, is left alone. No
thread: nothing runs unless the waiting call itself does.
"""

import select

from ..channels.wrappers import drop_own_frame
from ..locks.lock_state import LIVE_WAIT_S
from ..quiet import quietly
from . import calls, referents
from .referents import ATTRIBUTE, BARRIER, CONDITION, EVENT, LOCK

WATCHED_METHODS = ("acquire", "wait")
# The connection's attribute holding its _Watch.
WATCH = "_parallel_lab_watch"


class _Watch(object):
    __slots__ = ("pending", "poll")

    def __init__(self, connection):
        self.pending = None  # (referent, start_ns, tid, frame) of the call now waiting
        self.poll = _poller(connection)


@quietly
def watch(proxy, methodname, args, start_ns, frame):
    """Arms this thread's connection for a call that may block; the _Watch to disarm, or None."""
    referent = proxy.__dict__.get(ATTRIBUTE) or referents.of(proxy)
    role = referent.role
    if methodname == "acquire":
        if role is not LOCK and role is not CONDITION:
            return None
        # threading's acquire(True, -1) waits for good
        if args and (not args[0] or (len(args) > 1 and args[1] != -1 and _short(args[1]))):
            return None  # acquire(False) or a timeout within the live wait: no waiting to show
    elif role is EVENT or role is BARRIER or role is CONDITION:
        if args and _short(args[0]):
            return None
    else:
        return None
    connection = getattr(proxy._tls, "connection", None)
    if connection is None:
        # The thread's first call to this manager: connect now, as _callmethod would first.
        proxy._connect()
        connection = proxy._tls.connection
    state = connection.__dict__.get(WATCH)
    if state is None:
        state = _Watch(connection)
        connection.__dict__[WATCH] = state
        connection.__dict__["recv"] = _watching_recv(connection, state, type(connection).recv)
    state.pending = (referent, start_ns, calls.current_tid(), frame)
    return state


def _short(timeout):
    return type(timeout) in (int, float) and timeout <= LIVE_WAIT_S


def _watching_recv(connection, state, recv):
    def recv_watching():
        pending = state.pending
        if pending is not None:
            state.pending = None
            _wait_live(connection, state, pending)
        try:
            return recv(connection)
        except BaseException as error:
            drop_own_frame(error)
            raise

    return recv_watching


def _poller(connection):
    """A function that waits up to LIVE_WAIT_S for the reply, True once it is there.

    Connection.poll builds a selector on every call (about 10 us); on POSIX one poll object
    per connection, registered once, makes it a single system call.
    """
    poll_class = getattr(select, "poll", None)
    if poll_class is None:
        return lambda: connection.poll(LIVE_WAIT_S)
    poller = poll_class()
    poller.register(connection.fileno(), select.POLLIN)
    timeout_ms = int(LIVE_WAIT_S * 1000)
    return lambda: bool(poller.poll(timeout_ms))


@quietly
def _wait_live(connection, state, pending):
    if not state.poll():
        calls.report_open(*pending)
