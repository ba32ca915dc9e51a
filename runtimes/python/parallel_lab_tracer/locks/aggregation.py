"""Counts instead of events for a lock used too often to trace cycle by cycle.

A lock taken more than RATE_LIMIT times a second in one process would cost that process
more in encoding and sending (a few microseconds per event) than in locking. When a drain
of the cycle batch shows such a rate for a lock, that lock switches, in this process only,
to cumulative counts and wait/hold histograms, sent as `lock-stats` at every flush where
they changed. Cycles already recorded are still sent.
"""

import os
from bisect import bisect_right

from .. import clock, process_id, record_buffer, wire

RATE_LIMIT_PER_S = 20000
# The fast path only appends the hold time of an uncontended cycle (its wait is zero) to a
# list; the list is folded into the counts at this length and at every flush.
QUICK_HOLDS_FOLDED_AT = 4096
# Fewer cycles than this in one drain say nothing reliable about a rate.
MIN_CYCLES = 256

BUCKET_BOUNDS_MS = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
_BUCKET_BOUNDS_NS = tuple(int(ms * 1e6) for ms in BUCKET_BOUNDS_MS)

# Stats of this process, in the order their locks switched.
_switched = []


class LockStats(object):
    __slots__ = ("lock", "quick_holds", "since_ns", "acquisitions", "total_wait_ns", "max_wait_ns", "total_hold_ns",
                 "wait_histogram", "hold_histogram", "sent_acquisitions")

    def __init__(self, lock_id, since_ns):
        self.lock = lock_id
        self.quick_holds = []
        self.since_ns = since_ns
        self.acquisitions = 0
        self.total_wait_ns = 0
        self.max_wait_ns = 0
        self.total_hold_ns = 0
        self.wait_histogram = [0] * (len(_BUCKET_BOUNDS_NS) + 1)
        self.hold_histogram = [0] * (len(_BUCKET_BOUNDS_NS) + 1)
        self.sent_acquisitions = 0

    def add(self, wait_ns, hold_ns):
        self.acquisitions += 1
        self.total_hold_ns += hold_ns
        self.hold_histogram[bisect_right(_BUCKET_BOUNDS_NS, hold_ns)] += 1
        if wait_ns:
            self.total_wait_ns += wait_ns
            if wait_ns > self.max_wait_ns:
                self.max_wait_ns = wait_ns
            self.wait_histogram[bisect_right(_BUCKET_BOUNDS_NS, wait_ns)] += 1
        else:
            self.wait_histogram[0] += 1

    def fold(self, quick_holds):
        """Counts the uncontended cycles whose hold times the fast path collected."""
        bounds = _BUCKET_BOUNDS_NS
        histogram = self.hold_histogram
        for hold_ns in quick_holds:
            histogram[bisect_right(bounds, hold_ns)] += 1
        self.acquisitions += len(quick_holds)
        self.total_hold_ns += sum(quick_holds)
        self.wait_histogram[0] += len(quick_holds)
        del quick_holds[:]

    def record(self, to_ms):
        return wire.lock_stats(
            process_id.current(),
            self.lock,
            to_ms(self.since_ns),
            self.acquisitions,
            round(self.total_wait_ns / 1e6, 3),
            round(self.max_wait_ns / 1e6, 3),
            round(self.total_hold_ns / 1e6, 3),
            list(BUCKET_BOUNDS_MS),
            list(self.wait_histogram),
            list(self.hold_histogram),
        )


def start(lock_id, now_ns):
    stats = LockStats(lock_id, now_ns)
    _switched.append(stats)
    return stats


def too_frequent(cycles):
    """Ids of the locks whose cycles in `cycles` (raw tuples) exceed the rate limit."""
    if len(cycles) < MIN_CYCLES:
        return []  # a pool worker drains a cycle or two per flush, twice per task
    spans = {}
    for event in cycles:
        lock = event[1]
        end_ns = event[4] or event[3] or event[2]
        span = spans.get(lock)
        if span is None:
            spans[lock] = [1, event[2], end_ns]
        else:
            span[0] += 1
            if end_ns > span[2]:
                span[2] = end_ns
    hot = []
    for lock, (count, first_ns, last_ns) in spans.items():
        if count >= MIN_CYCLES and count * 1e9 > RATE_LIMIT_PER_S * max(last_ns - first_ns, 1):
            hot.append(lock)
    return hot


def _drain_stats():
    to_ms = clock.current.ns_to_ms
    records = []
    for stats in _switched:
        stats.fold(stats.quick_holds)
        if stats.acquisitions != stats.sent_acquisitions:
            stats.sent_acquisitions = stats.acquisitions
            records.append(stats.record(to_ms))
    return records


def _forget_parent_stats():
    del _switched[:]


record_buffer.add_drain(_drain_stats)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_stats)
