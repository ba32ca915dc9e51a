"""Messages as `ipc-batch` events, and the `channel-new` record each process sends first.

An event is `[op, channel, endpoint, t, waitMs, bytes, site]` (wire.MESSAGE_FIELDS); the hot
path stores a tuple with raw monotonic nanoseconds. A channel is announced once per process, on its first
message there (a fork child starts with nothing announced): the host learns about channels
that carry messages, not about every pipe the library opens.
"""

import os

from .. import clock, process_id, record_buffer, sites, wire
from ..event_batches import EventBatch

_monotonic_ns = clock.monotonic_ns

# Channel ids announced by this process.
_announced = set()


# Tuples in wire.MESSAGE_FIELDS order, built inline below (a call costs more than a
# message's share of the hot path allows).
_batch = EventBatch(wire.ipc_batch)


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
        _batch.append((op, channel.id, end.endpoint, end_ns, end_ns - start_ns, size, site))  # wire.MESSAGE_FIELDS
    except Exception:
        pass


def record_at(op, end, start_ns, end_ns, size, site):
    """A message whose call returned earlier (a Queue put, sized later by its feeder thread)."""
    try:
        channel = end.channel
        if channel.id not in _announced:
            _announce(channel)
        _batch.append((op, channel.id, end.endpoint, end_ns, end_ns - start_ns, size, site))  # wire.MESSAGE_FIELDS
    except Exception:
        pass


def announce(channel):
    """Sends `channel-new` now, if this process has not (a channel made here, used elsewhere)."""
    if channel.id not in _announced:
        _announce(channel)


def _announce(channel):
    _announced.add(channel.id)
    pid = process_id.current()
    if channel.site_pid == pid:
        site = channel.site
    else:
        site = sites.site_of_place(channel.place) if channel.place is not None else None
    record_buffer.add(wire.channel_new(pid, channel.id, channel.kind, channel.api, channel.internal, site, channel.name))


def _forget_parent_channels():
    _announced.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_channels)
