"""The run's time axis: milliseconds since the host started the run.

time.monotonic_ns() reads the same clock as the host's process.hrtime (CLOCK_MONOTONIC on
Linux), so tracer times and host samples line up without any synchronisation.
"""

import time


class RunClock(object):
    def __init__(self, t0_ns):
        self._t0_ns = t0_ns

    def now_ms(self):
        return self.ns_to_ms(time.monotonic_ns())

    def ns_to_ms(self, monotonic_ns):
        """A raw time.monotonic_ns() reading (what hot paths store) on the run's axis, in
        whole microseconds: integer division is several times cheaper than round(x, 3)."""
        return (monotonic_ns - self._t0_ns) // 1000 / 1000


# The run's clock, set when the tracer starts.
current = None
