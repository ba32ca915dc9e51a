"""Workloads whose tracing cost and completeness are measured (bench/observerBench.ts,
test/engine/observedWorkloads.test.ts): what a learner writes for lessons 3 and 5, tasks too
small for a pool and round trips of a small message over a Pipe and a Queue.

    python observed_workloads.py WORKLOAD COUNT

prints the time of the workload's loop in ms, measured around the loop only.
"""
import multiprocessing as mp
import sys
import time
from concurrent.futures import ProcessPoolExecutor

def square(x):
    return x * x

def echo_pipe(conn):
    while True:
        item = conn.recv()
        if item is None:
            break
        conn.send(item)

def echo_queue(inbox, outbox):
    while True:
        item = inbox.get()
        if item is None:
            break
        outbox.put(item)

def pool_map(count):
    with mp.Pool(2) as pool:
        started = time.perf_counter()
        results = pool.map(square, range(count), chunksize=1)
        elapsed = time.perf_counter() - started
    assert results[-1] == (count - 1) ** 2
    return elapsed

def executor_submit(count):
    with ProcessPoolExecutor(2) as executor:
        started = time.perf_counter()
        futures = [executor.submit(square, i) for i in range(count)]
        total = sum(future.result() for future in futures)
        elapsed = time.perf_counter() - started
    assert total == sum(i * i for i in range(count))
    return elapsed

def pipe_round_trips(count):
    mine, theirs = mp.Pipe()
    worker = mp.Process(target=echo_pipe, args=(theirs,))
    worker.start()
    mine.send(0)
    mine.recv()
    started = time.perf_counter()
    for i in range(count):
        mine.send(i)
        assert mine.recv() == i
    elapsed = time.perf_counter() - started
    mine.send(None)
    worker.join()
    return elapsed

def queue_round_trips(count):
    inbox, outbox = mp.Queue(), mp.Queue()
    worker = mp.Process(target=echo_queue, args=(inbox, outbox))
    worker.start()
    inbox.put(0)
    outbox.get()
    started = time.perf_counter()
    for i in range(count):
        inbox.put(i)
        assert outbox.get() == i
    elapsed = time.perf_counter() - started
    inbox.put(None)
    worker.join()
    return elapsed

if __name__ == "__main__":
    workload, count = sys.argv[1], int(sys.argv[2])
    print(globals()[workload](count) * 1000)
