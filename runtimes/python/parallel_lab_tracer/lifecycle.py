"""The life of this process as the host sees it: start, role, end, and its children's
starts (those that run no tracer of their own, see patches/subprocess_popen.py) and exits.

Roles (wire.PROCESS_ROLES): the first traced interpreter of the run is `main` (it marks the environment so its
descendants know they are not); a multiprocessing child learns that it is a `process` or a
`pool-worker` (or, for a Manager()'s server, `manager`) only when multiprocessing bootstraps
it, and says so with `process-role`; everything else (resource tracker, forkserver, a Python started by subprocess) is `other`.
"""

import os
import sys
import time
import _thread

from . import record_buffer, wire
from .quiet import quietly

# Set by the main process for its descendants. Holds the main's pid, which is also handy
# when debugging a run by hand.
MAIN_PID_ENV = "PARALLEL_LAB_MAIN_PID"

_clock = None
_this = None


class _ThisProcess(object):
    def __init__(self, role, name):
        self.pid = os.getpid()
        self.role = role
        self.name = name
        self.ended = False
        self.reported_start_methods = set()


def begin(clock, start_method):
    """Reports this interpreter's start; `start_method` is the default the main will use, if known."""
    global _clock, _this
    _clock = clock
    if MAIN_PID_ENV in os.environ:
        _this = _ThisProcess(wire.OTHER, _program_name())
    else:
        os.environ[MAIN_PID_ENV] = str(os.getpid())
        _this = _ThisProcess(wire.MAIN, "MainProcess")
    _send_start(start_method if _this.role == wire.MAIN else None)
    if hasattr(os, "register_at_fork"):
        # Registered after the outbox's own hook, so in the child the outbox is reset first.
        os.register_at_fork(after_in_child=quietly(_begin_fork_child))


def _begin_fork_child():
    global _this
    # Unknown until multiprocessing bootstraps it (if it does): a bare os.fork() stays `other`.
    _this = _ThisProcess(wire.OTHER, "fork of " + _this.name)
    _send_start(None)


def _send_start(start_method):
    # The CPU it used before this moment (start-up, or since the fork) was spent after it
    # began: the host dates its start back by at least that much. The time first, then the
    # CPU: CPU spent between the two readings (a fork child's first page copies, say) then
    # dates the start back too, so a process never seems to use more CPU than it lived (its
    # end reads them the other way round, see end()).
    now_ms = _clock.now_ms()
    cpu_ms = round(time.process_time() * 1000.0, 3)
    tid, thread_name = _first_thread()
    record_buffer.send_now(
        wire.process_start(_this.pid, os.getppid(), now_ms, _this.role, _this.name, start_method, cpu_ms, tid, thread_name)
    )


def _first_thread():
    """The thread this process began with, as (native id, threading name); (None, None) where
    the platform has no native ids. In a fork child it is the thread that forked, under the
    name threading gave it (read from threading's table: asking threading.current_thread()
    before threading's own fork hook has run could make it a dummy thread)."""
    get_native_id = getattr(_thread, "get_native_id", None)
    if get_native_id is None:
        return None, None
    try:
        threading = sys.modules.get("threading")
        thread = threading._active.get(_thread.get_ident()) if threading is not None else None
        # Without threading there is one thread, which threading, once imported, calls MainThread.
        return get_native_id(), thread.name if thread is not None else "MainThread"
    except Exception:
        return None, None  # the process is still reported, without its thread


def _program_name():
    # A Python the program started itself: name it after what it runs.
    argv = getattr(sys, "argv", None) or [""]
    if argv[0] in ("", "-c"):
        return "python -c"
    return os.path.basename(argv[0])


@quietly
def announce_role(role, name):
    _this.role = role
    _this.name = name
    record_buffer.send_now(wire.process_role(_this.pid, role, name))


@quietly
def end(exit_code):
    """Reports this process's end once, with the CPU it used; `exit_code` None when unknown."""
    if _this.ended:
        record_buffer.flush()
        return
    _this.ended = True
    # User + system CPU of this process. process_time() rather than os.times(): the latter
    # counts 10 ms clock ticks, so a short child would report zero. Read before the time.
    cpu_ms = round(time.process_time() * 1000.0, 3)
    record_buffer.send_now(wire.process_end(_this.pid, _clock.now_ms(), exit_code, cpu_ms))


@quietly
def report_child_start(pid, command):
    record_buffer.send_now(wire.child_start(pid, _this.pid, _clock.now_ms(), command))


@quietly
def report_child_exit(pid, exit_code):
    record_buffer.send_now(wire.child_exit(pid, _clock.now_ms(), exit_code))


@quietly
def report_start_method(method):
    """The main says which start method its children actually use (set_start_method may differ)."""
    if _this.role != wire.MAIN or method in _this.reported_start_methods:
        return
    _this.reported_start_methods.add(method)
    record_buffer.send_now(wire.start_method(_this.pid, method))


@quietly
def warn(message):
    record_buffer.send_now(wire.warning(_this.pid, message))
