"""This process's outbox of records, sent to the host in batches.

High-rate events (later: every lock acquire, queue put, pool task) are `add`ed: encoded
into a list and sent when the batch is large or old enough, when the process forks, and
at exit. Lifecycle records use `send_now`, which sends the batch at once.

There is deliberately no background flusher thread: since Python 3.12 os.fork() warns
("This process is multi-threaded...") when the process has a second OS thread, which
would change the output of a learner's program that forks.

Fork safety: the parent sends its batch before forking, so the child never repeats the
parent's records; the child starts with an empty batch, fresh locks and its own
connection (a shared socket would interleave two processes' lines).
"""

import os
import time
import _thread

from . import clock, spool, wire
from .quiet import quietly

MAX_BATCH_RECORDS = 256
MAX_BATCH_AGE_S = 0.05

_outbox = None
# Producers of batched events (see event_batches): asked for their records at every flush.
_drains = []


class _Outbox(object):
    def __init__(self, connect, connection, spool_folder):
        self._connect = connect
        self._spool_folder = spool_folder
        self._start(connection)

    def _start(self, connection):
        # Re-entrant: a signal handler that records an event while this thread is
        # sending must not deadlock on the lock its own thread holds.
        self._lock = _thread.RLock()
        self._lines = []
        self._first_line_time = 0.0
        self._connection = connection
        # The socket, kept open (the host reads the spool to its end when it closes) once
        # the records go to a spool.
        self._socket = None
        self._closed = False
        self._sending = False

    def add(self, record):
        if self._closed:
            return
        line = wire.encode_line(record)
        with self._lock:
            if not self._lines:
                self._first_line_time = time.monotonic()
            self._lines.append(line)
            full = len(self._lines) >= MAX_BATCH_RECORDS
            if full or time.monotonic() - self._first_line_time >= MAX_BATCH_AGE_S:
                self.flush()

    def send_now(self, record):
        self.add(record)
        self.flush()

    def flush(self, last_line=None):
        """Sends the pending lines and batches, then `last_line` (an encoded line) if given."""
        with self._lock:
            # A send interrupted by a signal handler that records something must not
            # start a second send inside the first: the lines would interleave.
            if self._sending or self._closed:
                if last_line is not None and not self._closed:
                    self._lines.append(last_line)  # goes with the flush under way
                return
            self._sending = True
            try:
                drained = []
                for drain in _drains:
                    drained.extend(drain())
                if drained:
                    # The batches of one flush on one line: one encoding here, one parse in the host.
                    self._lines.append(wire.encode_line(drained if len(drained) > 1 else drained[0]))
                if last_line is not None:
                    self._lines.append(last_line)
                if not self._lines:
                    return
                data = "".join(self._lines)
                self._lines = []
                if self._socket is None:
                    # Not spooling: the host reads this as it arrives, and checks its offset
                    # against our clock with this line (see clock.py): a Mac that sleeps
                    # during the run moves the two clocks apart by the sleep.
                    data = wire.clock_line(clock.current.now_ms()) + data
                data = data.encode("ascii")
                if self._connection is None:
                    self._connection = self._connect()
                if self._connection is None or not self._connection.send(data):
                    self._close_for_good()
            finally:
                self._sending = False

    def flush_unless_busy(self):
        """flush(), unless another thread holds the outbox: then what is pending goes with the
        next flush. For a thread that reports its own start, which must never wait for another
        (the thread that started it may be a signal handler's, in the middle of a send, waiting
        for the new thread to start)."""
        if not self._lock.acquire(False):
            return
        try:
            self.flush()
        finally:
            self._lock.release()

    def send_alone(self, line):
        """Writes `line` (encoded) at once, ahead of the pending batches (which wait for the next
        flush): a pool worker's task start, before the task runs. On a spool that is one copy,
        without draining every batch; on the socket it is an ordinary flush."""
        if self._closed:
            return
        with self._lock:
            if self._socket is None or self._sending:
                # Not spooling (the socket wants its clock line first), or inside a flush.
                self._lines.append(line)
                if not self._sending:
                    self.flush()
                return
            if self._closed:
                return
            if not self._connection.send(line.encode("ascii")):
                self._close_for_good()

    def use_spool(self):
        """From now on, records go to a spool (see spool.py); what is pending goes first."""
        if self._socket is not None:
            return  # already spooling: a worker asks at every task, so no lock for the answer
        with self._lock:
            if self._socket is not None or self._spool_folder is None:
                return
            self.flush()
            if self._closed:
                return
            if self._connection is None:
                self._connection = self._connect()
            try:
                spooled = spool.SpoolFile(self._spool_folder)
            except Exception:
                return  # no spool here: the socket goes on carrying everything
            if self._connection is None or not self._connection.send(spool.announcement(spooled.name)):
                spooled.close()
                self._close_for_good()
                return
            self._socket = self._connection
            self._connection = spooled

    def close(self):
        """Sends what is left and closes the connection; later records are dropped."""
        with self._lock:
            self.flush()
            self._close_for_good()

    def _close_for_good(self):
        self._closed = True
        self._lines = []
        self._close_connections()

    def _close_connections(self):
        for connection in (self._connection, self._socket):
            if connection is not None:
                connection.close()
        self._connection = self._socket = None

    def forget_parent_state(self):
        """In a fork child: drop what belongs to the parent, connect lazily on first send."""
        # The child's copies: the parent's socket stays open and its spool mapped.
        self._close_connections()
        self._start(None)


def open_outbox(connect, connection, spool_folder=None):
    """Starts this process's outbox on an open connection; `connect` makes a fork child's.
    `spool_folder`: where use_spool writes, None where the host offers no spool."""
    global _outbox
    _outbox = _Outbox(connect, connection, spool_folder)
    if hasattr(os, "register_at_fork"):
        # Errors in fork hooks would be printed by Python ("Exception ignored in..."): keep
        # them quiet. The hooks look the outbox up rather than hold it: Python 3.8 crashes at
        # shutdown when a fork hook still holds a socket object.
        os.register_at_fork(before=quietly(flush), after_in_child=quietly(_forget_parent_state))


def add_drain(drain):
    """`drain()` returns records to send; it is called at every flush, under the outbox lock."""
    _drains.append(drain)


def add(record):
    _outbox.add(record)


def use_spool():
    _outbox.use_spool()


def send_alone(line):
    _outbox.send_alone(line)


def send_now(record):
    _outbox.send_now(record)


def send_now_confirmed(record):
    """send_now, then whether the record reached the connection: False when this process
    has no outbox (the tracer is off) or its connection has failed for good."""
    if _outbox is None:
        return False
    _outbox.send_now(record)
    return not _outbox._closed


def flush(last_line=None):
    _outbox.flush(last_line)


def flush_unless_busy():
    _outbox.flush_unless_busy()


def close():
    """At exit: an open socket left to interpreter shutdown warns (ResourceWarning) or worse."""
    _outbox.close()


def _forget_parent_state():
    _outbox.forget_parent_state()
