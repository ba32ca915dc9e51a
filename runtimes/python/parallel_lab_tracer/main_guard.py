"""Notices the classic spawn mistake: starting processes without a main guard.

Under spawn and forkserver every child imports the learner's main file again; if that file
starts processes at the top level, multiprocessing stops the child with a RuntimeError.
The error has already been printed when the interpreter exits with it, so it is read back
from sys.last_value at exit: wrapping the raising code would add a tracer frame to the
traceback the learner sees.
"""

import sys

from . import lifecycle

BOOTSTRAP_ERROR_START = "An attempt has been made to start a new process before"

MISSING_MAIN_GUARD = (
    "A child process tried to start new processes while it was still importing your "
    "script. With the spawn and forkserver start methods, every child runs your file "
    "again from the top, so code at the top level starts processes again in each child. "
    'Put the code that starts processes under `if __name__ == "__main__":`.'
)


def warn_if_missing_at_exit():
    error = getattr(sys, "last_value", None)
    if isinstance(error, RuntimeError) and str(error).lstrip().startswith(BOOTSTRAP_ERROR_START):
        lifecycle.warn(MISSING_MAIN_GUARD)
