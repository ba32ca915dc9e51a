"""The parent's view of its children's ends: each exit it collects is reported once.

Two observers see a child's exit code. The wrappers of os.wait* (os_waits.py) see every
status this process collects through them, bare os.fork() children included. The
`returncode` of multiprocessing's and subprocess's Popen (patches/popen_observer.py,
patches/subprocess_popen.py) sees the code those classes settle on, including codes that
came another way: a forkserver child's status read from the forkserver, Windows, or a
subprocess module that bound os.waitpid before the tracer started.

A Popen sets its returncode right after the wait that collected the status, in the same
thread. So each thread remembers the child of its last wrapped wait: when a Popen then
settles on a code for that child, the wait has said all there is to say. It has reported
the exit, or it knows that the code is not one: a stopped child, or a status lost to
ECHILD, where subprocess assumes 0 and multiprocessing keeps None.
"""

import _thread

from . import lifecycle

_last_waited = _thread._local()


def collected(pid, exit_code):
    """A wrapped wait collected `pid`'s status; `exit_code` is None when it is no exit
    (a stopped or continued child) or when the status could not be read."""
    _last_waited.pid = pid
    if exit_code is not None:
        lifecycle.report_child_exit(pid, exit_code)


def settled(pid, returncode):
    """A Popen settled on `returncode` for its child `pid`."""
    if getattr(_last_waited, "pid", None) == pid:
        _last_waited.pid = None
        return
    lifecycle.report_child_exit(pid, returncode)
