"""What the lock tracer sends: lock-new, lock-batch, lock-release, lock-open, lock-stats.

Cycles and foreign releases are tuples of raw clock.monotonic_ns() values in EventBatches,
converted at flush. A cycle batch also flushes when its oldest event is 50 ms old, so that
a program that takes a lock now and then still shows it within a moment; and it watches
the rate of each lock as it drains (see aggregation.py).
"""

import os
import sys

from .. import clock, process_id, record_buffer
from ..event_batches import MAX_PENDING, EventBatch

MAX_AGE_NS = 50 * 1000 * 1000


# thread ident -> native thread id, for this process
_native_tids = {}


def native_tid(ident):
    """The OS thread id of a thread ident (the ident itself if the thread is gone)."""
    tid = _native_tids.get(ident)
    if tid is None:
        threading = sys.modules.get("threading")
        thread = threading._active.get(ident) if threading is not None else None
        tid = getattr(thread, "native_id", None) or ident
        _native_tids[ident] = tid
    return tid


def _cycle_to_wire(event, to_ms):
    tid, lock, request_ns, acquired_ns, released_ns, site = event
    return [
        _native_tids.get(tid) or native_tid(tid),
        lock,
        to_ms(request_ns),
        None if acquired_ns is None else to_ms(acquired_ns),
        None if released_ns is None else to_ms(released_ns),
        site,
    ]


def _release_to_wire(event, to_ms):
    tid, lock, released_ns, site = event
    return [native_tid(tid), lock, to_ms(released_ns), site]


class CycleBatch(EventBatch):
    """lock-batch events; `on_drain(events)` sees the raw tuples before they are converted."""

    def __init__(self):
        EventBatch.__init__(self, "lock-batch", _cycle_to_wire)
        self.due_ns = 0
        self.on_drain = None

    def add(self, event, now_ns):
        """Queues a cycle; `now_ns` is a recent monotonic_ns() reading the caller already has."""
        events = self.events
        if not events:
            self.due_ns = now_ns + MAX_AGE_NS
        events.append(event)
        if len(events) >= MAX_PENDING or now_ns >= self.due_ns:
            record_buffer.flush()

    def drain(self, to_ms):
        events = self.take()
        if events and self.on_drain is not None:
            self.on_drain(events)
        return self.record_of(events, to_ms)


cycles = CycleBatch()
foreign_releases = EventBatch("lock-release", _release_to_wire)


def lock_new(identity):
    record_buffer.add(
        {
            "type": "lock-new",
            "pid": process_id.current(),
            "lock": identity.id,
            "kind": identity.kind,
            "api": identity.api,
            "internal": identity.internal,
            "site": identity.site_here(),
        }
    )


def lock_open(tid, lock_id, request_ns, site, held):
    """A wait still blocked, sent at once; `tid` is a thread ident, `held` is
    [(lock id, acquired ns, site)]."""
    to_ms = clock.current.ns_to_ms
    record_buffer.send_now(
        {
            "type": "lock-open",
            "pid": process_id.current(),
            "tid": native_tid(tid),
            "lock": lock_id,
            "requestMs": to_ms(request_ns),
            "acquiredMs": None,
            "site": site,
            "held": [[lock, to_ms(acquired_ns), held_site] for lock, acquired_ns, held_site in held],
        }
    )


def _forget_parent_threads():
    # The forking thread goes on in the child under the same ident, with a new native id.
    _native_tids.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_threads)
