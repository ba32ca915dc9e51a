"""What the lock tracer sends: lock-new, lock-batch, lock-release, lock-open, lock-stats.

Cycles and foreign releases are tuples of raw clock.monotonic_ns() values in EventBatches,
converted at flush. A cycle batch also flushes when its oldest event is 50 ms old, so that
a program that takes a lock now and then still shows it within a moment; and it watches
the rate of each lock as it drains (see aggregation.py).
"""

from .. import clock, process_id, record_buffer, wire
from ..event_batches import MAX_PENDING, EventBatch

MAX_AGE_NS = 50 * 1000 * 1000


class CycleBatch(EventBatch):
    """lock-batch events; `on_drain(events)` sees the raw tuples before they are converted."""

    def __init__(self):
        EventBatch.__init__(self, wire.lock_batch)
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
foreign_releases = EventBatch(wire.lock_release)


def lock_new(identity):
    record_buffer.add(
        wire.lock_new(process_id.current(), identity.id, identity.kind, identity.api, identity.internal, identity.site_here(),
                      identity.name)
    )


def lock_open(tid, lock_id, request_ns, site, held):
    """A wait still blocked, sent at once; `tid` is the native thread id, `held` is
    [(lock id, acquired ns, site)]."""
    to_ms = clock.current.ns_to_ms
    record_buffer.send_now(
        wire.lock_open(process_id.current(), tid, lock_id, to_ms(request_ns), None, site, wire.held_locks(held, to_ms))
    )

