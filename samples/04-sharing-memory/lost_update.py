"""The lost update: several processes add to one shared counter, without and with its lock.

Each worker adds 1 to the counter many times. Without the lock, `counter.value += 1` is
three steps (read the value, add one, write it back), and two workers can both read the
same old value: one of the two additions is lost. The total comes out short, and by a
different amount on each run. With `counter.get_lock()` held around the three steps,
the total is exact every time.
"""
import os
from multiprocessing import Event, Process, Value

ADDS_PER_WORKER = 20_000


def add_without_lock(counter, starting_gun):
    starting_gun.wait()
    for _ in range(ADDS_PER_WORKER):
        # Reading and writing .value each take the counter's lock for a moment, but
        # nothing holds it between the read and the write.
        counter.value += 1


def add_with_lock(counter, starting_gun):
    starting_gun.wait()
    for _ in range(ADDS_PER_WORKER):
        with counter.get_lock():  # read, add and write as one step
            counter.value += 1


def count_with(adder, workers):
    counter = Value("i", 0)  # a C int in shared memory, with its own lock
    # Starting a process takes a while (lesson 6): without a common start signal, the
    # first worker could finish before the last one begins, and never meet the others.
    starting_gun = Event()
    processes = [Process(target=adder, args=(counter, starting_gun)) for _ in range(workers)]
    for process in processes:
        process.start()
    starting_gun.set()
    for process in processes:
        process.join()
    return counter.value


if __name__ == "__main__":
    workers = max(2, min(os.cpu_count() or 1, 4))
    expected = workers * ADDS_PER_WORKER
    print(f"expected:     {expected}")
    print(f"without lock: {count_with(add_without_lock, workers)}")
    print(f"with lock:    {count_with(add_with_lock, workers)}")
