"""The run's time axis: milliseconds since the host started the run.

time.monotonic_ns() reads the same clock as the host's process.hrtime (CLOCK_MONOTONIC on
Linux), so tracer times and host samples line up without any synchronisation.
"""

import time


class RunClock(object):
    def __init__(self, t0_ns):
        self._t0_ns = t0_ns

    def now_ms(self):
        return round((time.monotonic_ns() - self._t0_ns) / 1e6, 3)
