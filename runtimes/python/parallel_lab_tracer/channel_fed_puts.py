"""A Queue's puts, reported once its feeder thread has pickled and sent them.

Queue.put only appends the object to a buffer; the queue's feeder thread pickles and sends
it later. The put's return time, wait and site are known in the putting thread, its size
only in the feeder. The feeder sends in put order, so the two halves are paired in order,
whichever arrives first (the feeder can win the race against the put's return). An object
the feeder failed to pickle or send pairs with no size, and its put is not reported: it
never reached the other side.
"""

import _thread
import collections

from . import channel_events

FAILED = None


class FedPuts(object):
    """Belongs to the writer end of one Queue in one process, for one feeder thread."""

    def __init__(self, end):
        self._end = end
        self._lock = _thread.allocate_lock()
        self._returned = collections.deque()  # (start_ns, end_ns, site) not yet sent
        self._sent = collections.deque()  # sizes sent before their put had returned

    def put_returned(self, start_ns, end_ns, site):
        with self._lock:
            if self._sent:
                self._report(start_ns, end_ns, site, self._sent.popleft())
            else:
                self._returned.append((start_ns, end_ns, site))

    def fed(self, size):
        """The feeder sent the next object (`size` bytes), or failed to (`FAILED`)."""
        with self._lock:
            if self._returned:
                start_ns, end_ns, site = self._returned.popleft()
                self._report(start_ns, end_ns, site, size)
            else:
                self._sent.append(size)

    def _report(self, start_ns, end_ns, site, size):
        if size is not FAILED:
            channel_events.record_at("put", self._end, start_ns, end_ns, size, site)
