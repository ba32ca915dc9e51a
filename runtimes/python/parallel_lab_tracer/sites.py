"""Where in the learner's code an event happened: the nearest frame outside the library.

An event is attributed to the learner's line that called into multiprocessing, never to a
frame of the standard library, of this tracer, of an installed library that runs pools on
the learner's behalf (joblib and loky), or of code the library generates at run
time (multiprocessing.sharedctypes builds its `value` properties with exec, so their frames
have no real file). Sites are interned per process: the first time a (code, line) pair is
seen it gets a small integer id and a `site` record goes to the host; events carry the id.
A fork child starts a new table, since the host keys ids by pid.

The walk stops at a process's bootstrap: in a fork child the frames below it are the
parent's, copied by the fork (the line that started the pool, say), and what the child does
from the library alone has no learner site, as under spawn.
"""

import os
import sys

from . import process_id, record_buffer, wire

_LIBRARY_DIRS = (
    os.path.dirname(os.__file__) + os.sep,  # the standard library (lib-dynload lives inside it)
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,  # runtimes/python
)

# Installed libraries whose pools, queues and locks are theirs, not the learner's: joblib
# (with the loky it carries in joblib/externals) and loky on its own. Told by their place in
# site-packages (dist-packages on Debian), so that their frames are the library's from their
# very first import.
_LIBRARY_PACKAGES = tuple(
    packages + os.sep + name + os.sep for packages in ("site-packages", "dist-packages") for name in ("joblib", "loky")
)

# What a code object is to the walk (cached: one look per code object).
LEARNER, LIBRARY, BOOTSTRAP = 0, 1, 2
_kinds = {}
_BOOTSTRAP_FILE = os.path.join("multiprocessing", "process.py")
# (code object, line) -> site id, for this process
_site_ids = {}
# Ids must stay unique per pid: a fork child restarts at 0 with an empty table.
_next_id = [0]


def kind_of(code):
    """LEARNER, LIBRARY or BOOTSTRAP (a process's bootstrap, where walks up the stack stop)."""
    kind = _kinds.get(code)
    if kind is None:
        filename = code.co_filename
        if code.co_name == "_bootstrap" and filename.endswith(_BOOTSTRAP_FILE):
            kind = BOOTSTRAP
        elif filename.startswith("<") or filename.startswith(_LIBRARY_DIRS) or _in_library_package(filename):
            kind = LIBRARY
        else:
            kind = LEARNER
        _kinds[code] = kind
    return kind


def _in_library_package(filename):
    for package in _LIBRARY_PACKAGES:
        if package in filename:
            return True
    return False


def site_of(frame):
    """The site id of the first learner frame at or above `frame`, or None if there is none."""
    kinds = _kinds
    while frame is not None:
        code = frame.f_code
        kind = kinds.get(code)
        if kind is None:
            kind = kind_of(code)
        if kind == LEARNER:
            key = (code, frame.f_lineno)
            site = _site_ids.get(key)
            if site is None:
                site = _intern(key, code, frame.f_lineno)
            return site
        if kind == BOOTSTRAP:
            return None
        frame = frame.f_back
    return None


def site_of_caller(depth=2):
    """The learner's site for the code that called the function calling this (by default)."""
    return site_of(sys._getframe(depth))


def place_of(frame):
    """(file, line, function) of a learner frame: a site that can travel to another process."""
    code = frame.f_code
    return (code.co_filename, frame.f_lineno, code.co_name)


def site_of_place(place):
    """The site id in this process of a place (place_of) from this or another process."""
    site = _site_ids.get(place)
    if site is None:
        file_name, line, function = place
        site = _next_id[0]
        _next_id[0] = site + 1
        _site_ids[place] = site
        record_buffer.add(wire.site(process_id.current(), site, file_name, line, function))
    return site


def _intern(key, code, line):
    site = _next_id[0]
    _next_id[0] = site + 1
    _site_ids[key] = site
    record_buffer.add(wire.site(process_id.current(), site, code.co_filename, line, code.co_name))
    return site


def _forget_parent_sites():
    _site_ids.clear()
    _next_id[0] = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_sites)
