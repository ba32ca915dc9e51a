"""A spool: this process's records written into memory-mapped files the host reads.

A pool worker must hand every record to the host before it hands over a result: its parent
may terminate it the moment the last result arrives (a `with Pool()` block does), and a
terminated worker runs no exit handler. Over the socket that is a system call, and a wake-up
of the host, per task: on a small task, several times the task's own cost. Copied into a
shared file mapping, a record is in the kernel's hands the moment it is written, with no
system call, and it stays readable after the process is killed (SIGKILL included).

The host reads the file every few tens of milliseconds, and to its end once the process's
socket has closed. Files are sized up front (sparse, so unwritten pages cost nothing) and
read up to the first NUL byte. When one is full, its last line names the next.

The switch is announced on the socket, `{"type": "spool", "file": NAME}`, as the last line
sent there: the host reads the file only after everything the socket carried before it.
"""

import mmap
import os

from . import process_id, wire

# Bytes per file: about ten thousand tasks' records (two flushes of ~200 bytes each per task);
# more files follow as needed.
FILE_BYTES = 4 << 20
# Kept free at the end of every file for the line naming the next one.
_NEXT_LINE_ROOM = 256

_numbers = [0]


def announcement(name):
    return wire.encode_line(wire.spool_line(name)).encode("ascii")


class SpoolFile(object):
    """A connection (send / close, as in transport.py) that writes into spool files in `folder`."""

    def __init__(self, folder):
        self._folder = folder
        self._map = None
        self.name = self._open_next()

    def _open_next(self):
        _numbers[0] += 1
        name = "%d-%d.spool" % (process_id.current(), _numbers[0])
        descriptor = os.open(os.path.join(self._folder, name), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.ftruncate(descriptor, FILE_BYTES)
            mapping = mmap.mmap(descriptor, FILE_BYTES)
        finally:
            os.close(descriptor)
        if self._map is not None:
            self._write(announcement(name))
            self._map.close()
        self._map = mapping
        self._at = 0
        return name

    def _write(self, data):
        end = self._at + len(data)
        self._map[self._at:end] = data
        self._at = end

    def send(self, data):
        """True when all of `data` was written; False (the tracer falls silent) otherwise."""
        try:
            at = self._at
            end = at + len(data)
            if end > FILE_BYTES - _NEXT_LINE_ROOM:
                if len(data) > FILE_BYTES - _NEXT_LINE_ROOM:
                    return False  # one flush larger than a file: not a batch the tracer makes
                self._open_next()
                at = self._at
                end = at + len(data)
            # _write, inline: a pool worker sends twice per task.
            self._map[at:end] = data
            self._at = end
            return True
        except Exception:
            self.close()
            return False

    def close(self):
        if self._map is not None:
            try:
                self._map.close()
            except Exception:
                pass
            self._map = None
