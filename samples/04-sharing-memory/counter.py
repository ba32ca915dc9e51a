"""Ten processes add one to a shared counter, each under the counter's own lock.

`Value` lives in shared memory, so every process sees the same integer. `+= 1` is a
read, an add and a write: without the lock two processes can read the same old value
and one increment is lost. The lock makes the three steps one.
"""
from multiprocessing import Process, Value


def add_one(counter):
    with counter.get_lock():
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)  # "i": a C int in shared memory
    workers = [Process(target=add_one, args=(counter,)) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(counter.value)  # 10, every time
