"""submit() and as_completed(): results in the order they finish, from a few reused workers.

Twelve orders of different sizes go to a ProcessPoolExecutor with one worker per core.
submit() hands over one order and returns a Future at once; as_completed() yields each
Future as soon as its result is ready, so quick orders come back before slow ones that
were submitted earlier. Every result names the worker PID that cooked it: the same few
PIDs come back again and again, because a pool keeps its workers for the next task.
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

# Milliseconds of work per order: mixed sizes, so the finishing order differs from the
# submitting order.
ORDERS_MS = [120, 30, 60, 30, 90, 30, 60, 120, 30, 60, 30, 90]


def cook(order, work_ms):
    end = time.perf_counter() + work_ms / 1000
    while time.perf_counter() < end:  # CPU work, standing in for a real computation
        pass
    return order, work_ms, os.getpid()


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(cook, order, work_ms) for order, work_ms in enumerate(ORDERS_MS)]
        for future in as_completed(futures):
            order, work_ms, pid = future.result()
            print(f"order {order:2} ({work_ms:3} ms) cooked by PID {pid}")
