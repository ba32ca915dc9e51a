"""One connection from this process to the run's event endpoint.

POSIX: a UNIX stream socket. Windows: the endpoint is a named pipe, opened as a file.
The first line of a connection is the hello carrying the run's token. A connection that
fails once (host gone, host not reading) is closed for good: the tracer falls silent
rather than slowing or breaking the program.
"""

import os
import sys

from . import wire

CONNECT_TIMEOUT_S = 1.0
# A host that stops reading fills the socket buffer; then one send waits at most this long
# before the tracer gives up on the connection, so the program is never blocked for good.
SEND_TIMEOUT_S = 1.0


def connect(endpoint, token):
    """An open connection that has sent its hello, or None when the endpoint is unusable."""
    hello = wire.encode_line({"type": "hello", "token": token, "pid": os.getpid()}).encode("ascii")
    try:
        connection = _PipeConnection(endpoint) if sys.platform == "win32" else _SocketConnection(endpoint)
    except Exception:
        return None
    return connection if connection.send(hello) else None


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


class _PipeConnection(object):
    # Windows named pipes have no send timeout through a plain file; a host that stops
    # reading can block a write until it reads again or closes the pipe (then it fails).
    def __init__(self, path):
        self._pipe = open(path, "r+b", buffering=0)

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
