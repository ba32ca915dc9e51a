"""What the host asked for, read from the environment it set for the run."""

SOCKET_ENV = "PARALLEL_LAB_SOCKET"
TOKEN_ENV = "PARALLEL_LAB_TOKEN"
T0_NS_ENV = "PARALLEL_LAB_T0_NS"
START_METHOD_ENV = "PARALLEL_LAB_START_METHOD"
# Optional: a private folder for spool files (spool.py).
SPOOL_ENV = "PARALLEL_LAB_SPOOL"

START_METHODS = ("fork", "spawn", "forkserver")


class TracerConfig(object):
    def __init__(self, endpoint, token, t0_ns, spool_folder):
        self.endpoint = endpoint
        self.token = token
        self.t0_ns = t0_ns
        self.spool_folder = spool_folder


def tracer_config(environ):
    """The run's endpoint, token, start time and spool folder, or None when any but the last is unusable."""
    endpoint = environ.get(SOCKET_ENV, "")
    token = environ.get(TOKEN_ENV, "")
    try:
        t0_ns = int(environ.get(T0_NS_ENV, ""))
    except ValueError:
        return None
    if not endpoint or not token:
        return None
    return TracerConfig(endpoint, token, t0_ns, environ.get(SPOOL_ENV) or None)


def requested_start_method(environ):
    """The start method the host wants as the default, or None."""
    method = environ.get(START_METHOD_ENV)
    return method if method in START_METHODS else None
