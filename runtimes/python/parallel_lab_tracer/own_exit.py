"""This process's end when it leaves through os._exit, which skips atexit: a bare os.fork()
child, a multiprocessing fork child (its bootstrap has already reported; this only sends
what is left), or any program that ends that way. The end is reported with the exit code
the parent will see, then os._exit runs as it would untraced.
"""

import os

from . import lifecycle, replacements
from .channels.wrappers import drop_own_frame, like
from .quiet import quietly

# os._exit takes a C int.
_C_INT_RANGE = (-(2 ** 31), 2 ** 31 - 1)


def install():
    original = os._exit
    # Held by the closure, not looked up as globals, which interpreter shutdown may clear.
    report_end, drop = _report_end, drop_own_frame

    def _exit(*args, **kwargs):
        report_end(args, kwargs)
        try:
            original(*args, **kwargs)
        except BaseException as error:  # a wrong argument: nothing ended
            drop(error)
            raise

    replacements.replace(os, "_exit", like(original, _exit))


@quietly
def _report_end(args, kwargs):
    status = exit_status(_status_argument(args, kwargs))
    # Anything os._exit would refuse is not reported: the process goes on.
    if status is not None:
        lifecycle.end(status)


def exit_status(code):
    """The exit code a parent sees for a process that exits with `code`, or None when `code`
    is no C int. A bool is an int to os._exit and sys.exit (`sys.exit(True)` exits with 1),
    but on the wire it would be `true`, which the host rejects: it becomes 0 or 1."""
    if isinstance(code, int) and _C_INT_RANGE[0] <= code <= _C_INT_RANGE[1]:
        # A POSIX parent sees the low 8 bits; Windows keeps the whole (unsigned) value.
        return int(code) & 0xFF if os.name == "posix" else int(code) & 0xFFFFFFFF
    return None


def _status_argument(args, kwargs):
    if len(args) == 1 and not kwargs:
        return args[0]
    if not args and list(kwargs) == ["status"]:
        return kwargs["status"]
    return None
