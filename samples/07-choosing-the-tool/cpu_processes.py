"""CPU-bound work: threads do not help, processes do.

The same CPU-heavy function runs on a pool of threads, then on a pool of processes,
with one worker per core. Only the name of the executor changes. The threads take
turns holding the GIL, so the work takes as long as it would one after the other; the
processes each have their own interpreter and their own GIL, and share out the cores.
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

STEPS_PER_JOB = 15_000_000


def crunch(steps):
    total = 0
    for i in range(steps):
        total += i % 7
    return total


def time_with(executor_class, workers):
    started = time.perf_counter()
    with executor_class(max_workers=workers) as executor:
        list(executor.map(crunch, [STEPS_PER_JOB] * workers))
    return time.perf_counter() - started


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    print(f"{workers} threads:   {time_with(ThreadPoolExecutor, workers):.2f} s")
    print(f"{workers} processes: {time_with(ProcessPoolExecutor, workers):.2f} s")
