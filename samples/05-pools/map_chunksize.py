"""Pool.map with and without chunksize: how many items travel to a worker at once.

Pool.map splits the input into chunks and sends each chunk to a free worker as one task.
With chunksize=1 every item is its own round trip to a worker; with a larger chunksize
each trip carries several items, which saves messages when the items are small. The
tasks view shows each chunk as a task, with its item count and the worker that ran it.
"""
import os
import time
from multiprocessing import Pool

ITEMS = 40


def square_slowly(n):
    end = time.perf_counter() + 0.01  # about 10 ms of CPU work per item
    while time.perf_counter() < end:
        pass
    return n * n


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    with Pool(processes=workers) as pool:
        for chunksize in (1, 10):
            started = time.perf_counter()
            squares = pool.map(square_slowly, range(ITEMS), chunksize=chunksize)
            elapsed = time.perf_counter() - started
            print(f"chunksize {chunksize:2}: {ITEMS // chunksize:2} tasks, sum {sum(squares)}, {elapsed:.2f} s")
        # Leaving the `with` block terminates the workers (exit code -15 in the processes
        # view); close() and join() let them finish and exit normally instead.
        pool.close()
        pool.join()
