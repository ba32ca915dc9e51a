"""Coarse locking against fine locking: how long the workers wait for one another.

Each worker prepares a dish (a few milliseconds of work) and then adds it to a shared
tally. The coarse version holds the lock while preparing AND tallying, so only one worker
can work at a time and the others wait. The fine version prepares without the lock and
holds it only for the quick tally. The result is the same; look at the waits in the
timeline and the time each phase takes.
"""
import os
import time
from multiprocessing import Process, Value

DISHES_PER_WORKER = 20


def prepare_dish():
    # About 5 ms of CPU work, standing in for real work that needs no shared data.
    end = time.perf_counter() + 0.005
    while time.perf_counter() < end:
        pass


def coarse_worker(tally):
    for _ in range(DISHES_PER_WORKER):
        with tally.get_lock():  # held for the whole dish: the other workers wait
            prepare_dish()
            tally.value += 1


def fine_worker(tally):
    for _ in range(DISHES_PER_WORKER):
        prepare_dish()  # done in parallel, no lock needed
        with tally.get_lock():  # held only for the shared update
            tally.value += 1


def run_phase(worker, workers):
    tally = Value("i", 0)  # a fresh counter, so each phase has its own lock
    started = time.perf_counter()
    processes = [Process(target=worker, args=(tally,)) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    print(f"{worker.__name__}: {tally.value} dishes in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    run_phase(coarse_worker, workers)
    run_phase(fine_worker, workers)
