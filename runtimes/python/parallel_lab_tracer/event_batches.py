"""High-rate events (lock cycles, messages, tasks) collected as tuples, sent as batches.

The hot path of a wrapper only appends a tuple to a list: no encoding, no dict, no clock
conversion. When the outbox flushes (batch full or old, before a fork, at exit, or when a
wrapper asks), each EventBatch turns its tuples into one record with a builder of wire.py,
which also fixes the tuples' field order. Times are stored as raw clock.monotonic_ns()
values and converted to run milliseconds there.
"""

import os

from . import clock, process_id, record_buffer

# Past this many pending tuples a batch asks the outbox to flush.
MAX_PENDING = 512

_batches = []
# Called before the batches are drained: producers that hold events elsewhere add them here.
_before_drain = []


class EventBatch(object):
    """One kind of event. `build(pid, events, to_ms)` (a batch builder of wire.py) turns the
    stored tuples into their record."""

    def __init__(self, build):
        self.events = []
        self._build = build
        _batches.append(self)

    def append(self, event):
        events = self.events
        events.append(event)
        if len(events) >= MAX_PENDING:
            record_buffer.flush()

    def take(self):
        """Removes and returns the pending events.

        Another thread may append while a flush runs (a pool's task-handler thread records
        submits as the main thread flushes): the list object is never replaced, and only what
        was counted is removed, so an event appended meanwhile stays for the next flush.
        """
        events = self.events
        count = len(events)
        taken = events[:count]
        del events[:count]
        return taken

    def drain(self, to_ms):
        return self.record_of(self.take(), to_ms)

    def record_of(self, events, to_ms):
        if not events:
            return None
        return self._build(process_id.current(), events, to_ms)


def before_drain(hook):
    _before_drain.append(hook)


def _drain_all():
    for hook in _before_drain:
        hook()
    to_ms = clock.current.ns_to_ms
    records = []
    for batch in _batches:
        # A pool worker flushes twice per task with two or three events pending: the empty
        # batches are passed over without a call.
        if batch.events:
            record = batch.drain(to_ms)
            if record is not None:  # another thread took the events meanwhile
                records.append(record)
    return records


def _forget_parent_events():
    # The parent sent its pending events before forking; the child must not repeat them.
    for batch in _batches:
        del batch.events[:]


record_buffer.add_drain(_drain_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_events)
