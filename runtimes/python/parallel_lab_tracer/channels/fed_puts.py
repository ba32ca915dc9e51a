"""A Queue's puts, reported once its feeder thread has pickled and sent them.

Queue.put only appends the object to a buffer; the queue's feeder thread pickles and sends
it later. The put's return time, wait and site are known in the putting thread, its size
only in the feeder. The feeder sends in put order, so the two halves pair in order,
whichever came first (the feeder can win the race against the put's return). An object
the feeder failed to pickle or send pairs with no size, and its put is not reported: it
never reached the other side.

Each side only appends its half to a deque (atomic under the GIL): no lock that the
putting thread and the feeder would hand back and forth on every message. The halves are
paired when this process's records are flushed, under the outbox's lock.
"""

import collections
import weakref

from .. import event_batches
from . import events as channel_events

FAILED = None

# Weak references to every FedPuts of this process (a queue may be dropped). A list: an
# append and a slice copy are atomic, so another thread may add one during a flush.
_all = []


class FedPuts(object):
    """Belongs to the writer end of one Queue in one process, for one feeder thread."""

    def __init__(self, end):
        self._end = end
        # (start_ns, end_ns, site) of returned puts, appended by the putting threads.
        self.returned = collections.deque()
        # Sizes of sent objects (or FAILED), appended by the feeder.
        self.sent = collections.deque()
        _all.append(weakref.ref(self))

    def pair(self):
        returned, sent = self.returned, self.sent
        while returned and sent:
            start_ns, end_ns, site = returned.popleft()
            size = sent.popleft()
            if size is not FAILED:
                channel_events.record_at("put", self._end, start_ns, end_ns, size, site)


def _pair_all():
    for reference in _all[:]:
        fed_puts = reference()
        if fed_puts is None:
            _all.remove(reference)
        elif fed_puts.returned and fed_puts.sent:
            fed_puts.pair()


event_batches.before_drain(_pair_all)
