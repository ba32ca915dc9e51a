"""A ProcessPoolExecutor maps a function over inputs; each result names the worker that made it.

The pool starts one worker per core and hands tasks to whichever is free, so the same
few PIDs come back again and again.
"""
import os
from concurrent.futures import ProcessPoolExecutor


def whoami(n):
    return f"input {n} handled by PID {os.getpid()}"


if __name__ == "__main__":
    with ProcessPoolExecutor() as pool:
        for line in pool.map(whoami, range(5)):
            print(line)
