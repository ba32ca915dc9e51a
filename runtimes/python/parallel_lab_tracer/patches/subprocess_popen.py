"""subprocess children, which run no tracer unless they are Python themselves: the parent
reports each one's start (`child-start`, with the command it runs) as soon as Popen has
launched it, so that a child shorter than one sampler tick is still in the record, and its
exit code once Popen has collected it.

Both are observed assignments (observed_attributes): `pid`, which Popen sets right after it
launches the child (whether by fork and exec or by posix_spawn), and `returncode`, which
wait(), poll(), communicate(), run() and the rest all settle through. No wrapper of a
Popen method, so no tracer frame in a FileNotFoundError or TimeoutExpired the learner reads.
"""

import os
import sys

from .. import child_exits, lifecycle, observed_attributes

_TRACER_PACKAGE = __name__.split(".")[0] + "."


def patch(subprocess_module):
    popen_class = subprocess_module.Popen
    observed_attributes.observe(popen_class, "pid", _pid_set)
    observed_attributes.observe(popen_class, "returncode", _returncode_set)


def _pid_set(popen, previous, pid):
    if previous is None and pid is not None:
        lifecycle.report_child_start(pid, _command_line(popen, _assigning_frame()))


def _returncode_set(popen, previous, value):
    if previous is None and value is not None:
        child_exits.settled(popen.pid, value)


def _assigning_frame():
    """The frame of the Popen method that set the attribute: the first one not the tracer's."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_TRACER_PACKAGE):
        frame = frame.f_back
    return frame


def _command_line(popen, launching_frame):
    """The child's arguments joined by spaces, as the sampler reads them from the system.

    The method that launched it holds them in its `args` local, with the shell and "-c" in
    front when shell=True (on Windows: the command line itself); `popen.args` is what the
    caller passed, before that.
    """
    argv = launching_frame.f_locals.get("args") if launching_frame is not None else None
    if not isinstance(argv, (list, tuple, str)):
        argv = popen.args
    if not isinstance(argv, (list, tuple)):
        argv = [argv]
    return " ".join(_text(argument) for argument in argv)


def _text(argument):
    try:
        return os.fsdecode(argument)
    except TypeError:
        return str(argument)
