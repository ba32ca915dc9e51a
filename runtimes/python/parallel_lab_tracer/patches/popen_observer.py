"""The parent's view of its multiprocessing children: which start method launched them, and
how they ended.

Every multiprocessing Popen (fork, spawn, forkserver; Windows spawn) sets `returncode` to
None when it launches the child, and to the exit code once poll()/wait() learns it,
including negative codes for children killed by a signal. Observing `returncode` sees both
moments without wrapping poll or wait: a wrapper would show up in the traceback of a
KeyboardInterrupt during join(). A code the wrapped os.waitpid has already reported is
not reported again (child_exits).
"""

from .. import child_exits, lifecycle, observed_attributes


def patch(popen_module):
    observed_attributes.observe(popen_module.Popen, "returncode", _returncode_set)


def _returncode_set(popen, previous, value):
    if previous is observed_attributes.UNSET:
        lifecycle.report_start_method(getattr(type(popen), "method", None) or "unknown")
    elif previous is None and value is not None:
        child_exits.settled(popen.pid, value)
