"""This process's id, read once and again in a fork child.

os.getpid() is a system call (1.4 µs on the 2-core VM the benchmarks run on): more than
appending an event's tuple. Records made on hot paths take the id from here.

Fork hooks run in the order they were registered: the tracer imports this module before
any other of its modules, so the id is right before their hooks record anything.
"""

import os

_pid = [os.getpid()]


def current():
    return _pid[0]


def _read_again():
    _pid[0] = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_read_again)
