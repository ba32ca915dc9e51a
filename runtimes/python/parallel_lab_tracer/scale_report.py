"""The scaling lab's report to the host, on this process's event connection.

The lab's harness (parallel_lab_scale) runs in a traced process, so its report travels like
the tracer's records rather than in a file for the host to read: the Microsoft Store's
Python redirects the files it creates in TEMP to a folder of its own, out of the host's sight.
"""

import os

from . import clock, record_buffer, wire


def send(report_json):
    """Sends the report (JSON text) now; False when it could not go: the tracer is off in
    this process, or its connection has failed."""
    try:
        return record_buffer.send_now_confirmed(wire.scale_report(os.getpid(), clock.current.now_ms(), report_json))
    except Exception:
        return False
