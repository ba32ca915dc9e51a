"""Messages as `ipc-batch` events, and the `channel-new` record each process sends first.

An event is `[op, channel, endpoint, t, waitMs, bytes, site]`; the hot path stores a tuple
with raw monotonic nanoseconds. A channel is announced once per process, on its first
message there (a fork child starts with nothing announced): the host learns about channels
that carry messages, not about every pipe the library opens.
"""

import os

from .. import clock, process_id, record_buffer, sites
from ..event_batches import EventBatch

_monotonic_ns = clock.monotonic_ns

# Channel ids announced by this process.
_announced = set()


def _to_wire(event, to_ms):
    op, channel_id, endpoint, end_ns, wait_ns, size, site = event
    # Whole microseconds as ms: integer division is several times cheaper than round(x, 3).
    return [op, channel_id, endpoint, to_ms(end_ns), wait_ns // 1000 / 1000, size, site]


_batch = EventBatch("ipc-batch", _to_wire)


def record(op, end, start_ns, size, frame):
    """A message `op` just completed on `end`; `frame` is the caller of the wrapper.

    A library channel (a pool's own queues) is used by the library's threads and workers,
    where no frame is the learner's: its events are not walked up the stack for a site.
    """
    end_ns = _monotonic_ns()
    try:
        channel = end.channel
        if channel.id not in _announced:
            _announce(channel)
        site = None if channel.internal else sites.site_of(frame)
        _batch.append((op, channel.id, end.endpoint, end_ns, end_ns - start_ns, size, site))
    except Exception:
        pass


def record_at(op, end, start_ns, end_ns, size, site):
    """A message whose call returned earlier (a Queue put, sized later by its feeder thread)."""
    try:
        channel = end.channel
        if channel.id not in _announced:
            _announce(channel)
        _batch.append((op, channel.id, end.endpoint, end_ns, end_ns - start_ns, size, site))
    except Exception:
        pass


def _announce(channel):
    _announced.add(channel.id)
    pid = process_id.current()
    record_buffer.add(
        {
            "type": "channel-new",
            "pid": pid,
            "channel": channel.id,
            "kind": channel.kind,
            "api": channel.api,
            "internal": channel.internal,
            "site": channel.site if channel.site_pid == pid else None,
        }
    )


def _forget_parent_channels():
    _announced.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_channels)
