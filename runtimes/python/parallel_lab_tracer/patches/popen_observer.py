"""The parent's view of its children: which start method launched them, how they ended.

Every multiprocessing Popen (fork, spawn, forkserver; Windows spawn) sets `returncode` to
None when it launches the child, and to the exit code once poll()/wait() learns it,
including negative codes for children killed by a signal. Turning `returncode` into a
property of the Popen class observes both moments without wrapping poll or wait: a
wrapper would show up in the traceback of a KeyboardInterrupt during join().
"""

from .. import lifecycle


def patch(popen_module):
    popen_class = popen_module.Popen
    if isinstance(popen_class.__dict__.get("returncode"), property):
        return
    popen_class.returncode = property(_get_returncode, _set_returncode)


def _get_returncode(popen):
    return popen.__dict__.get("returncode")


def _set_returncode(popen, value):
    state = popen.__dict__
    launching = "returncode" not in state
    previous = state.get("returncode")
    state["returncode"] = value
    if launching:
        lifecycle.report_start_method(getattr(type(popen), "method", None) or "unknown")
    elif previous is None and value is not None:
        lifecycle.report_child_exit(popen.pid, value)
