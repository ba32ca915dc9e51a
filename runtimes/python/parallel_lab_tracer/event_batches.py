"""High-rate events (lock cycles, messages, tasks) collected as tuples, sent as batches.

The hot path of a wrapper only appends a tuple to a list: no encoding, no dict, no clock
conversion. When the outbox flushes (batch full or old, before a fork, at exit, or when a
wrapper asks), each EventBatch turns its tuples into one record `{"type", "pid", "events"}`.
Times are stored as raw clock.monotonic_ns() values and converted to run milliseconds here.
"""

import os

from . import clock, process_id, record_buffer

# Past this many pending tuples a batch asks the outbox to flush.
MAX_PENDING = 512

_batches = []
# Called before the batches are drained: producers that hold events elsewhere add them here.
_before_drain = []


class EventBatch(object):
    """One kind of event. `convert(event, to_ms)` turns a stored tuple into its wire form."""

    def __init__(self, record_type, convert):
        self.record_type = record_type
        self.events = []
        self._convert = convert
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
        convert = self._convert
        return {"type": self.record_type, "pid": process_id.current(), "events": [convert(event, to_ms) for event in events]}


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
