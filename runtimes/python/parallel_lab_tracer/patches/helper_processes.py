"""Names multiprocessing's helper processes: the resource tracker and the forkserver.

multiprocessing starts both as `python -c "from multiprocessing.<module> import main; main(...)"`.
When that module is imported by such a command, this process is that helper. Recognising it
at import time, rather than by wrapping main(), keeps the tracer out of the traceback the
forkserver prints when the learner's module starts processes while being imported.
"""

import sys

from .. import lifecycle, wire

HELPER_NAMES = {
    "multiprocessing.resource_tracker": "resource_tracker",
    "multiprocessing.forkserver": "forkserver",
    # loky (joblib's default backend) starts a resource tracker of its own the same way.
    "joblib.externals.loky.backend.resource_tracker": "loky resource_tracker",
    "loky.backend.resource_tracker": "loky resource_tracker",
}


def patch(module):
    if _launched_to_run(module.__name__):
        lifecycle.announce_role(wire.OTHER, HELPER_NAMES[module.__name__])


def _launched_to_run(module_name):
    frame = sys._getframe()
    while frame.f_back is not None:
        frame = frame.f_back
    code = frame.f_code
    return code.co_filename == "<string>" and module_name in code.co_names and "main" in code.co_names
