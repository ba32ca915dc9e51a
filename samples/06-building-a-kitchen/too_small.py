"""When the work is too small, processes lose: the same sum, alone and with a pool.

Adding up a few thousand squares takes a fraction of a millisecond. Handing that work to
a pool of processes means starting the workers, pickling the inputs, sending them, and
pickling the results back: far more than the work itself. Run it, then make WORK_SIZE a
thousand times larger and run it again.
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor

WORK_SIZE = 4_000


def sum_of_squares(numbers):
    return sum(n * n for n in numbers)


if __name__ == "__main__":
    numbers = range(WORK_SIZE)
    workers = max(2, min(os.cpu_count() or 1, 4))

    started = time.perf_counter()
    alone = sum_of_squares(numbers)
    alone_ms = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    pieces = [numbers[n::workers] for n in range(workers)]  # one piece per worker
    with ProcessPoolExecutor(max_workers=workers) as pool:
        with_pool = sum(pool.map(sum_of_squares, pieces))
    pool_ms = (time.perf_counter() - started) * 1000

    assert alone == with_pool
    print(f"alone:     {alone_ms:8.2f} ms")
    print(f"{workers} workers: {pool_ms:8.2f} ms (including starting the pool)")
    print("alone was faster" if alone_ms < pool_ms else "the pool was faster")
