"""Chefs sharing one stove, then kitchens of their own: the same CPU-bound job on
threads, then on processes.

Phase 1 gives each piece of the job to a chef: a thread of this one process. Phase 2
gives the same pieces to kitchens: processes of their own. The code of the two phases is
identical except for one class name. Watch the chefs' lanes under the main process:
they take turns on the process's one stove (the GIL), so together they keep about one
core busy. The kitchens each fill a core.

Needs 2 cores to show the difference; it uses up to 4 (one piece per core).
"""
import os
import time
from multiprocessing import Process
from threading import Thread

# The whole job, counted in loop steps. Split into equal pieces, it takes about two
# seconds on one core of a recent laptop, whatever the number of pieces.
TOTAL_STEPS = 30_000_000


def count_odd_squares(steps):
    # Pure Python arithmetic: a thread running it needs the GIL (the interpreter's global
    # lock, the stove) the whole time, so two threads of one process take turns on it.
    odd = 0
    for i in range(steps):
        if (i * i) % 2:
            odd += 1
    return odd


def run_in_parallel(worker_class, pieces, name):
    """Starts one worker (a Thread or a Process) per piece, waits for all, returns seconds."""
    started = time.perf_counter()
    workers = [
        worker_class(target=count_odd_squares, args=(TOTAL_STEPS // pieces,), name=f"{name}-{n + 1}")
        for n in range(pieces)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


if __name__ == "__main__":
    pieces = max(2, min(os.cpu_count() or 1, 4))
    threads_seconds = run_in_parallel(Thread, pieces, "chef")
    print(f"{pieces} threads:   {threads_seconds:.2f} s")
    processes_seconds = run_in_parallel(Process, pieces, "kitchen")
    print(f"{pieces} processes: {processes_seconds:.2f} s")
    print(f"processes were {threads_seconds / processes_seconds:.1f}x faster")
