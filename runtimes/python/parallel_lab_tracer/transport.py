"""One connection from this process to the run's event endpoint.

POSIX: a UNIX stream socket. Windows: the endpoint is a named pipe, opened as a file.
The first line of a connection is the hello carrying the run's token and this process's
clock reading (the host learns from it how our clock lies against its own, see clock.py).
A connection that fails once (host gone, host not reading) is closed for good: the tracer
falls silent rather than slowing or breaking the program.
"""

import os
import sys
import time

from . import clock, wire

CONNECT_TIMEOUT_S = 1.0
# A host that stops reading fills the socket buffer; then one send waits at most this long
# before the tracer gives up on the connection, so the program is never blocked for good.
SEND_TIMEOUT_S = 1.0


def connect(endpoint, token):
    """An open connection that has sent its hello, or None when the endpoint is unusable."""
    try:
        connection = _PipeConnection(endpoint) if sys.platform == "win32" else _SocketConnection(endpoint)
    except Exception:
        return None
    # Read last, right before the send: the host takes the offset from how far it lies
    # behind the moment the hello arrives.
    hello = wire.encode_line(wire.hello(token, os.getpid(), clock.current.now_ms()))
    return connection if connection.send(hello.encode("ascii")) else None


class _SocketConnection(object):
    def __init__(self, path):
        # `_socket` rather than `socket`: the wrapper module imports enum and selectors,
        # several milliseconds at every interpreter start for nothing the tracer uses.
        import _socket

        # MSG_NOSIGNAL: a program that restored the default SIGPIPE action would otherwise
        # be killed by the tracer writing to a host that has gone away (Linux has the flag).
        self._send_flags = getattr(_socket, "MSG_NOSIGNAL", 0)
        self._socket = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            self._socket.settimeout(CONNECT_TIMEOUT_S)
            self._socket.connect(path)
            self._socket.settimeout(SEND_TIMEOUT_S)
        except Exception:
            self._socket.close()
            raise

    def send(self, data):
        """True when all of `data` was sent; on any failure the connection is closed."""
        try:
            self._socket.sendall(data, self._send_flags)
            return True
        except Exception:
            self.close()
            return False

    def close(self):
        try:
            self._socket.close()
        except Exception:
            pass


# Windows' answer when every instance of a named pipe is taken by a connection the host
# has not accepted yet.
ERROR_PIPE_BUSY = 231


def open_busy_pipe(open_pipe, wait_for_pipe, timeout_s, now=time.monotonic):
    """`open_pipe()`, retried while the pipe is busy, for at most `timeout_s`.

    The host's server keeps only a few instances of its pipe waiting to be connected to; a
    burst of processes (a 16-worker pool starting) finds them all taken. Like
    multiprocessing.connection, wait for an instance (`wait_for_pipe(ms)`, WaitNamedPipe)
    and try again, rather than giving up tracing that process for good.
    """
    deadline = now() + timeout_s
    while True:
        try:
            return open_pipe()
        except OSError as error:
            left_ms = int((deadline - now()) * 1000)
            if getattr(error, "winerror", None) != ERROR_PIPE_BUSY or left_ms <= 0:
                raise
            try:
                wait_for_pipe(min(left_ms, 100))
            except OSError:
                pass  # gone busy again or timed out: the loop decides


class _PipeConnection(object):
    # Windows named pipes have no send timeout through a plain file; a host that stops
    # reading can block a write until it reads again or closes the pipe (then it fails).
    def __init__(self, path):
        import _winapi

        self._pipe = open_busy_pipe(
            lambda: open(path, "r+b", buffering=0),
            lambda ms: _winapi.WaitNamedPipe(path, ms),
            CONNECT_TIMEOUT_S,
        )

    def send(self, data):
        try:
            view = memoryview(data)
            while view:
                written = self._pipe.write(view)
                if not written:
                    raise OSError("the event pipe accepted no data")
                view = view[written:]
            return True
        except Exception:
            self.close()
            return False

    def close(self):
        try:
            self._pipe.close()
        except Exception:
            pass
