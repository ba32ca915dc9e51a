"""The learner's site of a lock call, at the cost of one dict lookup when the learner's
own line called into the lock.

sites.site_of keys its table on (code, line): hashing a code object hashes its bytecode and
constants every time (0.1 us on 3.11, 0.5 us on 3.13), and f_lineno is computed from the
line table. Here the key is (id(code), f_lasti), both plain reads; the code objects are
kept alive so that their ids stay theirs. Calls from library code (the generated `value`
property of a shared Value, Condition.wait, ...) walk up with sites.site_of every time.
"""

import os

from .. import sites

# (id(code), f_lasti) -> site id, for learner code only
_site_by_spot = {}
# id(code) -> code: keeps every id in _site_by_spot from being reused by another object
_codes = {}

cached_site = _site_by_spot.get


def site_at(frame):
    """The site of `frame`, remembered when `frame` is the learner's own code."""
    code = frame.f_code
    site = sites.site_of(frame)
    if sites.kind_of(code) == sites.LEARNER:
        _codes[id(code)] = code
        _site_by_spot[(id(code), frame.f_lasti)] = site
    return site


def _forget_parent_sites():
    # Site ids are per process: a fork child interns its own.
    _site_by_spot.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_sites)
