"""The native id of the running thread (the one /proc and threading.get_native_id() use),
read once per thread and again in a fork child, at the cost of an attribute read.

`_thread.get_native_id()` is a system call (1.2 µs on the 2-core VM the benchmarks run on,
0.15 µs on an idle laptop), more than a whole traced lock cycle may cost. `_thread.get_ident()`
is cheap but is not the id /proc knows, and once a thread ends its ident goes to the next
thread the process starts. A thread-local attribute costs what get_ident does (0.02 to
0.03 µs here on 3.8 to 3.13): the first read in each thread runs `__init__` (one system call),
every later read is a plain lookup, and a new thread never sees an ended one's value.

Hot paths read `this_thread.tid`; everything else may call `current()`.
"""

import _thread
import os

# get_ident where the platform has no native ids (Python supports them on the major ones).
_native_id = getattr(_thread, "get_native_id", _thread.get_ident)


class _ThisThread(_thread._local):
    def __init__(self):
        self.tid = _native_id()


this_thread = _ThisThread()


def current():
    return this_thread.tid


def _read_again():
    # The forking thread goes on in the child, with the same thread-locals and a new id.
    this_thread.tid = _native_id()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_read_again)
