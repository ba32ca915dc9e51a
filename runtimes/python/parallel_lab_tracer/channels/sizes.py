"""The size of the last message this thread moved through a Connection.

Connection._send_bytes and _recv_bytes see every message as bytes on the wire, whichever
public method it went through (send, send_bytes, recv, recv_bytes, a queue's put or get),
and already pickled: reading the size there costs no second pickling. The public wrappers
read it right after the call returns, in the same thread.
"""

import _thread

from .wrappers import drop_own_frame

_last = _thread._local()


def last():
    return getattr(_last, "size", None)


def last_sent():
    """The size of the last message this thread sent (a manager call's request, whose reply
    `last()` then gives)."""
    return getattr(_last, "sent", None)


def measuring_send(send_bytes):
    def _send_bytes(self, buf):
        _last.sent = _last.size = len(buf)
        try:
            return send_bytes(self, buf)
        except BaseException as error:
            drop_own_frame(error)
            raise

    return _send_bytes


def measuring_recv(recv_bytes):
    def _recv_bytes(self, maxsize=None):
        try:
            buf = recv_bytes(self, maxsize)
        except BaseException as error:
            drop_own_frame(error)
            raise
        if buf is not None:
            # The buffer is left positioned after the message (recv_bytes_into relies on it).
            _last.size = buf.tell()
        return buf

    return _recv_bytes
