"""Every threading.Thread's start and end, with its native id and its name: `thread-batch`
events `[tid, name, startMs, endMs, cpuMs]`.

Thread._bootstrap_inner is the first thing every Thread runs in its new OS thread, and it
returns once the thread's run() is over: one point that sees the start and the end of every
Thread (the learner's, a Pool's handler threads, a Queue's feeder, the threads of a manager's
server), from inside the thread, where its native id is read. The wrapper only calls it:
what run() raises is caught and printed inside it, in a traceback that begins at its frame,
so nothing of the tracer shows there. The name is read again at the end, so that a thread
renamed while it ran (`t.name = ...`) ends with its last name, and the end carries the
thread's own CPU time (time.thread_time), which every platform gives.

The thread a process begins with is reported by its process-start (lifecycle.py). A fork
child has only the thread that forked: it re-reads its native id when it ends.

A start is sent at once, so that the panel names a thread while it runs, unless another
thread is sending: a starting thread must never wait for the outbox, whose holder may be
waiting for it to start (Thread.start() waits until it runs). That send costs the new thread
about 15 us of CPU (2 cores, loaded). An end waits for the next send of this process (another
thread's start, a batch, a fork, the process's end): the sampler sees the thread go meanwhile.
"""

import _thread
import time

from .. import clock, record_buffer, replacements, wire
from ..event_batches import EventBatch
from ..quiet import quietly

# Tuples in wire.THREAD_FIELDS order.
_batch = EventBatch(wire.thread_batch)


def patch(threading_module):
    get_native_id = getattr(_thread, "get_native_id", None)
    thread_time_ns = getattr(time, "thread_time_ns", None)
    if get_native_id is None:
        return  # a platform without native thread ids: its threads stay unreported
    thread_class = threading_module.Thread
    original = thread_class._bootstrap_inner
    # Held by the closure: a daemon thread may end while interpreter shutdown clears globals.
    report_start, report_end = _report_start, _report_end

    def _bootstrap_inner(self, *args, **kwargs):
        start_ns = report_start(self, get_native_id)
        try:
            return original(self, *args, **kwargs)
        finally:
            if start_ns is not None:
                report_end(self, start_ns, get_native_id, thread_time_ns)

    replacements.replace(thread_class, "_bootstrap_inner", _bootstrap_inner)


@quietly
def _report_start(thread, get_native_id):
    start_ns = clock.monotonic_ns()
    # Straight onto the list: EventBatch.append may flush, and this thread must not wait.
    _batch.events.append((get_native_id(), thread.name, start_ns, None, None))
    record_buffer.flush_unless_busy()
    return start_ns


@quietly
def _report_end(thread, start_ns, get_native_id, thread_time_ns):
    cpu_ns = thread_time_ns() if thread_time_ns is not None else None
    _batch.events.append((get_native_id(), thread.name, start_ns, clock.monotonic_ns(), cpu_ns))
