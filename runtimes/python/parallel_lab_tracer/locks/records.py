"""What the lock tracer sends: lock-new, lock-batch, lock-release, lock-open, lock-stats.

Cycles and foreign releases are tuples of raw clock.monotonic_ns() values in EventBatches,
converted at flush. A cycle batch also flushes when its oldest event is 50 ms old, so that
a program that takes a lock now and then still shows it within a moment; and it watches
the rate of each lock as it drains (see aggregation.py).
"""

import os
import sys

from .. import clock, process_id, record_buffer, wire
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


def _native_tids_of(events):
    """The native id of each thread ident in `events` (the first field of every lock tuple)."""
    for ident in {event[0] for event in events}:
        if ident not in _native_tids:
            native_tid(ident)
    return _native_tids


def _lock_batch(pid, cycles, to_ms):
    return wire.lock_batch(pid, cycles, to_ms, _native_tids_of(cycles))


def _lock_release(pid, releases, to_ms):
    return wire.lock_release(pid, releases, to_ms, _native_tids_of(releases))


class CycleBatch(EventBatch):
    """lock-batch events; `on_drain(events)` sees the raw tuples before they are converted."""

    def __init__(self):
        EventBatch.__init__(self, _lock_batch)
        self.due_ns = 0
        self.on_drain = None

    def add(self, event, now_ns):
        """Queues a cycle (a tuple in wire.LOCK_CYCLE_FIELDS order); `now_ns` is a recent
        monotonic_ns() reading the caller already has."""
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
# Tuples in wire.LOCK_RELEASE_FIELDS order.
foreign_releases = EventBatch(_lock_release)


def lock_new(identity):
    record_buffer.add(
        wire.lock_new(process_id.current(), identity.id, identity.kind, identity.api, identity.internal, identity.site_here(),
                      identity.name)
    )


def lock_open(tid, lock_id, request_ns, site, held):
    """A wait still blocked, sent at once; `tid` is a thread ident, `held` is
    [(lock id, acquired ns, site)]."""
    to_ms = clock.current.ns_to_ms
    record_buffer.send_now(
        wire.lock_open(process_id.current(), native_tid(tid), lock_id, to_ms(request_ns), None, site, wire.held_locks(held, to_ms))
    )


def _forget_parent_threads():
    # The forking thread goes on in the child under the same ident, with a new native id.
    _native_tids.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_threads)
