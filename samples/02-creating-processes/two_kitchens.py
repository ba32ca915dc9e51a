"""Two processes, two cores: each process runs the same CPU-heavy sum on its own.

Run it under Parallel Lab and watch the processes view: one main process and two
children, each with its own PID, each keeping one core busy.
"""
from multiprocessing import Process


def heavy_sum(label):
    # Pure Python arithmetic: it holds the GIL the whole time, so only a second
    # process (not a second thread) can run it on another core.
    total = sum(i * i for i in range(6_000_000))
    print(f"{label} done: {total}")


if __name__ == "__main__":
    # The guard matters: with the spawn start method every child re-imports this file,
    # and without it each child would try to start children of its own.
    kitchens = [Process(target=heavy_sum, args=(f"kitchen-{n}",)) for n in (1, 2)]
    for kitchen in kitchens:
        kitchen.start()
    for kitchen in kitchens:
        kitchen.join()
