"""What a pool worker's flush costs: the records of one task (its task, the message that
brought it, the cycle of the task queue's lock) written to a spool, as task_worker does
before each result. Prints microseconds per flush, and per flush of nothing.

Run with runtimes/python on sys.path; it writes into a temporary folder, not to a host.
"""

import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtimes", "python"))

from parallel_lab_tracer import channel_events, clock, record_buffer, spool, task_worker  # noqa: E402
from parallel_lab_tracer.locks import records  # noqa: E402

FLUSHES = 20000


def main():
    folder = tempfile.mkdtemp()
    try:
        clock.current = clock.RunClock(time.monotonic_ns())
        record_buffer.open_outbox(lambda: None, spool.SpoolFile(folder), None)
        now = time.monotonic_ns
        tid = 1
        events = []
        for i in range(FLUSHES):
            t = now()
            events.append(((("1:0", "square", 1, t, t, True, "1:0:0:%d" % i)), ("get", "1:0", 0, t, 1000, 26, None), (tid, "lock-1-0", t, t, t, None)))
        started = time.perf_counter()
        for task, message, cycle in events:
            task_worker._batch.events.append(task)
            channel_events._batch.events.append(message)
            records.cycles.events.append(cycle)
            record_buffer.flush()
        full = (time.perf_counter() - started) / FLUSHES * 1e6
        started = time.perf_counter()
        for _ in range(FLUSHES):
            record_buffer.flush()
        empty = (time.perf_counter() - started) / FLUSHES * 1e6
        print("%.3f %.3f" % (full, empty))
    finally:
        record_buffer.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
