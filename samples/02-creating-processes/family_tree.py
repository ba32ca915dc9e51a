"""Every process has its own PID, and knows the PID of the process that started it.

The parent starts three children. Each child prints its own PID (os.getpid()) and its
parent's PID (os.getppid()); the parent prints its own. Compare them with the PID and
PPID columns of the processes view.
"""
import os
from multiprocessing import Process


def introduce(name):
    # One print per child, written in one piece so that lines from different children
    # do not get mixed up: the children all write to the same terminal at the same time.
    print(f"{name}: pid {os.getpid()}, parent {os.getppid()}\n", end="", flush=True)


if __name__ == "__main__":
    print(f"parent: pid {os.getpid()}")
    children = [Process(target=introduce, args=(f"child-{n}",), name=f"child-{n}") for n in (1, 2, 3)]
    for child in children:
        child.start()  # the new process begins here; start() returns at once
    for child in children:
        child.join()  # wait until that child has finished
    print("all children have finished")
