"""The parent's waits: os.wait, waitpid, wait3, wait4 and waitid report every exit status
this process collects (child_exits.collected), whichever child it was: a bare os.fork()
child, a multiprocessing or subprocess child, or one the forkserver reaps.

Each wrapper calls the original with the caller's arguments and looks at its result; the
original's exceptions (ChildProcessError, KeyboardInterrupt while blocked) reach the caller
without the wrapper's frame in their traceback (see channels/wrappers.py). Windows is left
alone: its waitpid takes process handles, and its Popen reports through returncode.
"""

import os

from . import child_exits, replacements
from .channels.wrappers import drop_own_frame, like
from .quiet import quietly

# Python 3.8 lacks os.CLD_KILLED; these are the values of Linux, macOS and the BSDs.
_CLD_EXITED = getattr(os, "CLD_EXITED", 1)
_CLD_KILLED = getattr(os, "CLD_KILLED", 2)
_CLD_DUMPED = getattr(os, "CLD_DUMPED", 3)


def install():
    if os.name != "posix":
        return
    # (name, what its result says, whether its first argument names one child)
    for name, observe, one_child in (
        ("wait", _observe_status, False),
        ("waitpid", _observe_status, True),
        ("wait3", _observe_status, False),
        ("wait4", _observe_status, True),
        ("waitid", _observe_siginfo, False),
    ):
        original = getattr(os, name, None)
        if original is not None:
            replacements.replace(os, name, _observing(original, observe, one_child))


def _observing(original, observe, one_child):
    # Held by the closure, not looked up as globals: a subprocess.Popen collected late in
    # interpreter shutdown can call its bound waitpid after this module's globals are gone.
    status_lost, drop = _status_lost, drop_own_frame

    def wrapper(*args, **kwargs):
        try:
            result = original(*args, **kwargs)
        except BaseException as error:
            if one_child and isinstance(error, ChildProcessError):
                status_lost(args)
            drop(error)
            raise
        observe(result)
        return result

    return like(original, wrapper)


@quietly
def _observe_status(result):
    # (pid, status) or (pid, status, rusage); pid 0: WNOHANG and no child has changed state.
    pid, status = result[0], result[1]
    if pid != 0:
        child_exits.collected(pid, _exit_code_of_status(status))


@quietly
def _observe_siginfo(result):
    # None: WNOHANG and no child has changed state.
    if result is not None:
        child_exits.collected(result.si_pid, _exit_code_of_siginfo(result))


@quietly
def _status_lost(args):
    # waitpid(pid, ...) or wait4(pid, ...) of a child that cannot be waited for (SIGCHLD
    # ignored, or another thread reaped it): subprocess then assumes exit code 0.
    if args and type(args[0]) is int and args[0] > 0:
        child_exits.collected(args[0], None)


def _exit_code_of_status(status):
    """What os.waitstatus_to_exitcode (3.9+) returns, or None for a stopped or continued child."""
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return None


def _exit_code_of_siginfo(info):
    if info.si_code == _CLD_EXITED:
        return info.si_status
    if info.si_code in (_CLD_KILLED, _CLD_DUMPED):
        return -info.si_status
    return None
