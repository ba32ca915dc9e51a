"""The run's time axis: milliseconds since the host started the run.

The host passes its start (PARALLEL_LAB_T0_NS) read on its own monotonic clock, and every
time this tracer sends is measured from it on Python's. The two clocks need not agree: on
macOS Node's counts through sleep and Python's does not, so after a laptop has slept they
differ by the total sleep since boot. The host therefore learns the offset from readings the
tracer sends (the hello, and a clock line with each batch on the socket, see
record_buffer.py) and moves this process's times onto its own axis (connectionClock.ts).
"""

import sys
import time


def fine_clock(platform, version_info):
    """The monotonic clock in nanoseconds fine enough to time a lock hold.

    On Windows before Python 3.13, time.monotonic() reads GetTickCount64, which moves in
    steps of 15.6 ms: every wait and hold would be rounded to 16 ms. perf_counter() reads
    QueryPerformanceCounter there, one system-wide counter (the same in every process), and
    is what 3.13 made monotonic() itself.
    """
    if platform == "win32" and tuple(version_info[:2]) < (3, 13):
        return time.perf_counter_ns
    return time.monotonic_ns


# What every time the tracer records is read from: hot paths bind it once.
monotonic_ns = fine_clock(sys.platform, sys.version_info)


class RunClock(object):
    def __init__(self, t0_ns):
        self._t0_ns = t0_ns

    def now_ms(self):
        return self.ns_to_ms(monotonic_ns())

    def ns_to_ms(self, reading_ns):
        """A raw monotonic_ns() reading (what hot paths store) on the run's axis, in
        whole microseconds: integer division is several times cheaper than round(x, 3)."""
        return (reading_ns - self._t0_ns) // 1000 / 1000


# The run's clock, set when the tracer starts.
current = None
