"""Pipe messages: every send / recv on a Pipe's Connection becomes one ipc event.

- Pipe() labels its two ends with a new channel (channels/ends.py); the reducer for Connection
  is wrapped so a spawn or forkserver child's rebuilt Connection keeps that label.
- _send_bytes / _recv_bytes, which every message crosses as bytes, measure its size
  (channels/sizes.py); the public methods time the call and record the event.
- The two ends of a queue are relabelled by the queue (patches/queues.py). Its own put and
  get use send_bytes / recv_bytes and are reported by the queue's wrappers; the library also
  uses a queue's ends directly with send / recv (a Pool's task handler and result handler,
  the executor's manager thread): those are that queue's puts and gets.
"""

import sys

from .. import clock
from ..channels import ends as channel_ends, events as channel_events, origin as channel_origin, sizes as channel_sizes
from ..channels.ends import PIPE, TASKS
from ..channels.wrappers import drop_own_frame, like
from ..tasks import submits as task_submits, worker as task_worker

_monotonic_ns = clock.monotonic_ns


def patch(connection_module):
    base = connection_module._ConnectionBase
    setattr(base, channel_ends.END_ATTRIBUTE, None)
    for connection_class in _connection_classes(connection_module):
        connection_class._send_bytes = channel_sizes.measuring_send(connection_class._send_bytes)
        connection_class._recv_bytes = channel_sizes.measuring_recv(connection_class._recv_bytes)
        reducers = connection_module.reduction.ForkingPickler._extra_reducers
        if connection_class in reducers:
            connection_module.reduction.register(connection_class, channel_ends.carrying_end(reducers[connection_class]))
    base.send = _traced_send(base.send)
    base.send_bytes = _traced_send_bytes(base.send_bytes)
    base.recv = _traced_recv(base.recv)
    base.recv_bytes = _traced_recv_bytes(base.recv_bytes)
    base.recv_bytes_into = _traced_recv_bytes_into(base.recv_bytes_into)
    connection_module.Pipe = _labelling_pipe(connection_module.Pipe)


def _connection_classes(connection_module):
    return [cls for cls in (getattr(connection_module, name, None) for name in ("Connection", "PipeConnection")) if cls]


def _labelling_pipe(pipe):
    def Pipe(duplex=True):
        try:
            first, second = pipe(duplex)
        except BaseException as error:
            drop_own_frame(error)
            raise
        try:
            found = channel_origin.origin(sys._getframe(1))
            if found is not None:
                channel_ends.new_pipe(first, second, *found, duplex=duplex)
        except Exception:
            pass
        return first, second

    return like(pipe, Pipe)


def _traced_send(send):
    def send_wrapper(self, obj):
        start_ns = _monotonic_ns()
        end = self._parallel_lab_end
        # A pool task is reported as submitted before it is sent: once sent, a worker can run
        # it and the pool forget its job before this thread gets to run again.
        if end is not None and end.channel.tasks is not None and end.channel.tasks[2] == TASKS:
            _quietly_submitted(end.channel.tasks, obj)
        try:
            send(self, obj)
        except BaseException as error:
            drop_own_frame(error)
            raise
        if end is not None:
            kind = "send" if end.channel.kind == PIPE else "put"
            channel_events.record(kind, end, start_ns, channel_sizes.last(), sys._getframe(1))

    return like(send, send_wrapper)


def _quietly_submitted(tasks, task):
    try:
        if tasks[1] == task_worker.POOL:
            task_submits.pool_task_sent(tasks[0], task)
    except Exception:
        pass


def _traced_recv(recv):
    def recv_wrapper(self):
        start_ns = _monotonic_ns()
        try:
            obj = recv(self)
        except BaseException as error:
            drop_own_frame(error)
            raise
        end = self._parallel_lab_end
        if end is not None:
            op = "recv" if end.channel.kind == PIPE else "get"
            channel_events.record(op, end, start_ns, channel_sizes.last(), sys._getframe(1))
        return obj

    return like(recv, recv_wrapper)


# The bytes methods: on a queue's ends they are the queue's own put and get, reported there.


def _traced_send_bytes(send_bytes):
    def send_bytes_wrapper(self, buf, offset=0, size=None):
        start_ns = _monotonic_ns()
        try:
            send_bytes(self, buf, offset, size)
        except BaseException as error:
            drop_own_frame(error)
            raise
        end = self._parallel_lab_end
        if end is not None and end.channel.kind == PIPE:
            channel_events.record("send", end, start_ns, channel_sizes.last(), sys._getframe(1))

    return like(send_bytes, send_bytes_wrapper)


def _traced_recv_bytes(recv_bytes):
    def recv_bytes_wrapper(self, maxlength=None):
        start_ns = _monotonic_ns()
        try:
            data = recv_bytes(self, maxlength)
        except BaseException as error:
            drop_own_frame(error)
            raise
        end = self._parallel_lab_end
        if end is not None and end.channel.kind == PIPE:
            channel_events.record("recv", end, start_ns, len(data), sys._getframe(1))
        return data

    return like(recv_bytes, recv_bytes_wrapper)


def _traced_recv_bytes_into(recv_bytes_into):
    def recv_bytes_into_wrapper(self, buf, offset=0):
        start_ns = _monotonic_ns()
        try:
            size = recv_bytes_into(self, buf, offset)
        except BaseException as error:
            drop_own_frame(error)
            raise
        end = self._parallel_lab_end
        if end is not None and end.channel.kind == PIPE:
            channel_events.record("recv", end, start_ns, size, sys._getframe(1))
        return size

    return like(recv_bytes_into, recv_bytes_into_wrapper)
