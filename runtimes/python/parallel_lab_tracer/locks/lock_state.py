"""The tracer's state of one lock in this process, and the slow paths of its calls.

A lock is a multiprocessing SemLock, or one of the learner's threading locks (a C lock or
RLock, or a threading.Semaphore); the Event, Barrier and Condition waits of either kind are
cycles of a state too. The fast paths (fast_paths.py) handle the common cases with a few attribute reads:
an uncontended acquire records `fast_hold`, RLock re-entry counts `depth`, the release
closes the cycle. Everything else comes here: contention and live waits, timeouts,
releases by another thread or process, first use in a process (lock-new), Condition
waits, and the SemLocks that stand for an Event or a Barrier (roles.py).

An open cycle here is a hold `[tid, request_ns, acquired_ns, site, depth]`.
"""

import atexit
import os
import weakref

from .. import clock, thread_id
from ..quiet import quietly
from . import aggregation, identity as identities, learner_site, records, roles

LIVE_WAIT_S = 0.05
# Open cycles kept per lock and process (a semaphore's count may be far higher).
MAX_HOLDS = 64

_now = clock.monotonic_ns
# The native thread id (thread_id.py); the hot paths read thread_id.this_thread.tid themselves.
_tid = thread_id.current

# lock id -> state, for this process (roles and held-lock lists look locks up by id)
_states = weakref.WeakValueDictionary()
# ids announced by this process (lock-new is sent once per process and lock)
_announced = set()
# the pid whose exit already reports the cycles it leaves open
_end_hook_pid = [None]
# Registers `report` to run when this process ends: atexit, until patches/synchronize.py
# puts multiprocessing's finalizers in its place (they also run at a child's end, atexit not).
register_end_hook = atexit.register


class LockState(object):
    __slots__ = ("identity", "id", "c_acquire", "c_release", "forever", "recursive", "max_holds",
                 "plain", "idle", "fast_hold", "depth", "holds", "stats", "quick_holds", "wait_marks", "marks",
                 "__weakref__")

    def __init__(self, identity, c_acquire=None, c_release=None, recursive=False, max_value=MAX_HOLDS, forever=None):
        """`c_acquire(block, timeout)` and `c_release()` are the lock's own; `forever` is the
        timeout c_acquire waits for good with (None for a SemLock, -1 for a threading lock).
        A state of waits for a signal (an Event's, a Condition's notify) has neither."""
        self.identity = identity
        self.id = identity.id
        self.c_acquire = c_acquire
        self.c_release = c_release
        self.forever = forever
        self.recursive = recursive
        self.max_holds = max(min(max_value, MAX_HOLDS), 1)
        self.fast_hold = None  # (tid, request_ns, acquired_ns, site) of a fast-path acquire
        self.depth = 0  # RLock re-entries into fast_hold
        self.holds = []
        self.stats = None  # aggregation.LockStats once the lock is too frequent to trace per cycle
        self.quick_holds = None  # stats.quick_holds, where the fast path counts
        self.wait_marks = {}  # tid -> (start_ns, site): Condition.wait, for its re-acquire
        self.marks = {}  # tid -> [start_ns, site, ...]: Event and Barrier waits (roles.py)
        self.plain = False
        self.idle = False
        _states[self.id] = self

    def settle(self):
        """Decides whether the next calls may take the fast paths."""
        self.plain = (
            self.identity.role in identities.TRACED_ROLES and self.id in _announced and not self.wait_marks
        )
        self.idle = self.plain and self.fast_hold is None and not self.holds

    def announce(self):
        if self.id not in _announced:
            _announced.add(self.id)
            records.lock_new(self.identity)
            if _end_hook_pid[0] != os.getpid():
                _end_hook_pid[0] = os.getpid()
                register_end_hook(report_unreleased)

    # ---- acquire ------------------------------------------------------------------

    def enter_slow(self, lock, frame):
        return self.acquire_slow(True, self.forever, frame)

    def acquire_slow(self, block, timeout, frame):
        if self.identity.role in identities.UNCOUNTED_ROLES:
            return roles.acquire_uncounted(self, block, timeout, frame)
        tid = _tid()
        prepared = _prepare_acquire(self, tid, frame)
        if prepared is None:
            return self.c_acquire(block, timeout)
        if prepared is _NESTED:
            acquired = self.c_acquire(block, timeout)
            if acquired:
                _deepen(self, tid)
            return acquired
        request_ns, site = prepared
        acquired = self.acquire_watching(block, timeout, tid, request_ns, site)
        _acquired(self, tid, request_ns, site, acquired)
        return acquired

    def acquired_meanwhile(self, request_ns, frame):
        """The fast path's contended acquire succeeded, but the fast hold is taken (another
        thread of this process holds a slot of the same semaphore)."""
        tid = _tid()
        prepared = _prepare_acquire(self, tid, frame)
        if prepared is not None and prepared is not _NESTED:
            _acquired(self, tid, request_ns, prepared[1], True)
        return True

    def acquire_after_live_wait(self, request_ns, frame):
        """The fast path's acquire waited LIVE_WAIT_S in vain: report the wait, go on waiting."""
        tid = _tid()
        prepared = _prepare_acquire(self, tid, frame)
        site = prepared[1] if prepared is not None and prepared is not _NESTED else None
        _report_open(self, tid, request_ns, site)
        acquired = self.c_acquire(True, self.forever)
        _acquired(self, tid, request_ns, site, acquired)
        return acquired

    def acquire_watching(self, block, timeout, tid, request_ns, site):
        """The learner's acquire, split so that a wait past LIVE_WAIT_S is reported live.

        Same outcome as one call: the total timeout is kept, the arguments reach the C
        acquire unchanged whenever they are anything but the usual types and values.
        """
        c_acquire = self.c_acquire
        limit = self._limit(block, timeout)
        if limit is _AS_GIVEN:
            return c_acquire(block, timeout)
        if c_acquire(False):
            return True
        if limit is not None and limit <= LIVE_WAIT_S:
            return c_acquire(True, timeout)
        if c_acquire(True, LIVE_WAIT_S):
            return True
        _report_open(self, tid, request_ns, site)
        if limit is None:
            return c_acquire(True, self.forever)
        return c_acquire(True, max(limit - (_now() - request_ns) / 1e9, 0.0))

    def _limit(self, block, timeout):
        """The seconds a blocking acquire may wait, None for good, or _AS_GIVEN for a
        non-blocking call and for arguments the lock itself must judge (and may refuse)."""
        if not (block is True or block is False or type(block) is int) or not block:
            return _AS_GIVEN
        if timeout is None:
            return None if self.forever is None else _AS_GIVEN
        if type(timeout) not in (int, float) or timeout != timeout:
            return _AS_GIVEN
        if self.forever is not None and timeout < 0:
            return None if timeout == self.forever else _AS_GIVEN  # threading: -1, or a ValueError
        return timeout

    # ---- release ------------------------------------------------------------------

    def exit_slow(self, lock, frame, exit_args):
        return self.release_slow(frame, exit_args)

    def release_slow(self, frame, exit_args=None):
        if self.identity.role in identities.UNCOUNTED_ROLES:
            return roles.release_uncounted(self, frame, exit_args)
        tid = _tid()
        which = _hold_to_release(self, tid)
        released_ns = _now()  # before the lock is let go: see fast_paths.enter
        self.c_release()
        _released(self, tid, which, frame, released_ns)
        return None

    def release_saving(self, release_save, frame):
        """A threading RLock's `_release_save()` (in Condition.wait): lets the lock go however
        deep this thread holds it, and ends the hold."""
        tid = _tid()
        which = _hold_to_release(self, tid)
        released_ns = _now()
        saved = release_save()
        _released_fully(self, tid, which, frame, released_ns)
        return saved

    def acquire_restoring(self, acquire_restore, saved, frame):
        """A threading RLock's `_acquire_restore(saved)` (in Condition.wait): takes the lock
        again, as deep as `saved` says. Not split for a live wait: unlike acquire(), it cannot
        be interrupted (Ctrl-C waits until the lock is taken), and the tracer keeps it so."""
        depth = _saved_depth(saved)
        tid = _tid()
        prepared = _prepare_acquire(self, tid, frame) if depth else None
        result = acquire_restore(saved)
        if prepared is not None and prepared is not _NESTED:
            _acquired(self, tid, prepared[0], prepared[1], True, depth)
        return result

    def release_many(self, release, count, frame):
        """`release()` gives back `count` slots of a semaphore at once: ends as many holds."""
        released_ns = _now()
        release()
        _release_count(self, _tid(), count, frame, released_ns)

    # ---- bookkeeping --------------------------------------------------------------

    def spill_fast_hold(self):
        """Moves the fast path's hold into `holds`, where the slow paths keep theirs."""
        hold = self.fast_hold
        if hold is not None:
            self.holds.append([hold[0], hold[1], hold[2], hold[3], 1 + self.depth])
            self.fast_hold = None
            self.depth = 0

    def finish(self, tid, request_ns, acquired_ns, released_ns, site):
        """One cycle of this lock, complete or failed, into the batch or the counts."""
        stats = self.stats
        if stats is not None and acquired_ns is not None and released_ns is not None:
            stats.add(acquired_ns - request_ns, released_ns - acquired_ns)
        else:
            records.cycles.add((tid, self.id, request_ns, acquired_ns, released_ns, site), _now())  # wire.LOCK_CYCLE_FIELDS

    def holds_of(self, tid):
        """(lock id, acquired ns, site) of every open cycle of `tid` on this lock."""
        held = [(self.id, hold[2], hold[3]) for hold in self.holds if hold[0] == tid]
        hold = self.fast_hold
        if hold is not None and hold[0] == tid:
            held.append((self.id, hold[2], hold[3]))
        return held

    def partner(self):
        """The state, in this process, of the lock this one's role ties it to (roles.py): a
        Condition's semaphores name its lock; an Event's flag and its lock name each other."""
        return state_with_id(self.identity.partner)

    def forget_parent_holds(self):
        self.fast_hold = None
        self.depth = 0
        self.holds = []
        self.stats = None
        self.quick_holds = None
        self.wait_marks = {}
        self.marks = {}
        self.settle()

    def rename(self, lock_id):
        """A new id for this lock, and for the identity other processes would learn."""
        if _states.get(self.id) is self:
            del _states[self.id]
        self.identity.id = self.id = lock_id
        _states[lock_id] = self


class _Untraced(object):
    """Stands in for the state of a SemLock the tracer could not set up: plain calls."""

    idle = False
    fast_hold = None

    def enter_slow(self, lock, frame):
        return lock._semlock.__enter__()

    def exit_slow(self, lock, frame, exit_args):
        return lock._semlock.__exit__(*exit_args)


UNTRACED = _Untraced()
_NESTED = object()
_AS_GIVEN = object()


@quietly
def _prepare_acquire(state, tid, frame):
    """(request_ns, site) of a new acquire, _NESTED for an RLock re-entry, None on error."""
    state.announce()
    state.spill_fast_hold()
    if state.recursive:
        for hold in state.holds:
            if hold[0] == tid:
                return _NESTED
    mark = state.wait_marks.pop(tid, None) if state.wait_marks else None
    if mark is not None:
        # The re-acquire inside Condition.wait (roles.py): the wait for notify is a cycle of
        # its own, and the re-acquire is requested at the wake-up (at the start of the wait
        # if the wake-up was not seen).
        state.settle()
        start_ns, site, woken_ns, notified = mark
        if woken_ns is None:
            return start_ns, site
        notify_waited(state, tid, start_ns, woken_ns if notified else None, woken_ns, site)
        return woken_ns, site
    site = learner_site.site_at(frame)  # first: a new site is a record, maybe a flush
    return _now(), site


@quietly
def _deepen(state, tid):
    for hold in state.holds:
        if hold[0] == tid:
            hold[4] += 1
            return


@quietly
def _acquired(state, tid, request_ns, site, acquired, depth=1):
    now = _now()
    if not acquired:
        state.finish(tid, request_ns, None, None, site)
        return
    # A semaphore holds at most maxvalue cycles at once: past that, the oldest were released
    # by another process (a Lock acquired again proves it at once). The cap also bounds
    # the holds of a semaphore used as a counter, acquired here and released elsewhere.
    holds = state.holds
    while len(holds) >= state.max_holds:
        orphan = holds.pop(0)
        state.finish(orphan[0], orphan[1], orphan[2], None, orphan[3])
    holds.append([tid, request_ns, now, site, depth])
    state.settle()


@quietly
def _hold_to_release(state, tid):
    """Index in `holds` of the cycle a release ends; None when this process holds none."""
    state.announce()
    state.spill_fast_hold()
    holds = state.holds
    for index in range(len(holds) - 1, -1, -1):
        if holds[index][0] == tid:
            return index
    if holds and not state.recursive:
        return 0  # released by another thread of this process: ends the oldest hold
    return None


@quietly
def _released(state, tid, index, frame, now):
    if index is None:
        records.foreign_releases.append((tid, state.id, now, learner_site.site_at(frame)))  # wire.LOCK_RELEASE_FIELDS
    else:
        hold = state.holds[index]
        if hold[4] > 1:
            hold[4] -= 1
        else:
            del state.holds[index]
            state.finish(hold[0], hold[1], hold[2], now, hold[3])
    state.settle()


@quietly
def _released_fully(state, tid, index, frame, released_ns):
    if index is not None:
        state.holds[index][4] = 1
    _released(state, tid, index, frame, released_ns)


def _saved_depth(saved):
    """The depth in a C RLock's saved state, or None when it is not the (depth, owner) of
    Python 3.8 to 3.13."""
    if type(saved) is tuple and len(saved) == 2 and type(saved[0]) is int and saved[0] > 0:
        return saved[0]
    return None


@quietly
def _release_count(state, tid, count, frame, released_ns):
    for _ in range(count):
        _released(state, tid, _hold_to_release(state, tid), frame, released_ns)


@quietly
def _report_open(state, tid, request_ns, site):
    lock_id, request_ns, site = roles.open_wait_of(state, tid, request_ns, site)
    owner = state_with_id(lock_id)
    if owner is not None:
        owner.announce()
    elif lock_id.endswith(identities.NOTIFY_WAIT_SUFFIX):
        condition_lock = state_with_id(lock_id[: -len(identities.NOTIFY_WAIT_SUFFIX)])
        if condition_lock is not None:
            announce_notify_wait(condition_lock)
    report_open_wait(tid, lock_id, request_ns, site)


def report_open_wait(tid, lock_id, request_ns, site):
    """Sends a wait of `tid` still blocked on an announced lock, with the locks it holds."""
    held = []
    for other in list(_states.values()):
        held.extend(other.holds_of(tid))
    records.lock_open(tid, lock_id, request_ns, site, held)


def notify_waited(state, tid, start_ns, notified_ns, woken_ns, site):
    """A Condition.wait's wait for notify: a cycle of `<lock id>/wait`, acquired when
    notified (null when it timed out), released at the wake-up."""
    announce_notify_wait(state)
    records.cycles.add((tid, state.id + identities.NOTIFY_WAIT_SUFFIX, start_ns, notified_ns, woken_ns, site), _now())  # wire.LOCK_CYCLE_FIELDS


def announce_notify_wait(state):
    wait_id = state.id + identities.NOTIFY_WAIT_SUFFIX
    if wait_id not in _announced:
        _announced.add(wait_id)
        records.lock_new(state.identity.notify_wait())


def state_with_id(lock_id):
    return _states.get(lock_id) if lock_id is not None else None


@quietly
def report_unreleased():
    """At the end of this process: every cycle it opened and did not close, released null."""
    for state in list(_states.values()):
        state.spill_fast_hold()
        for hold in state.holds:
            state.finish(hold[0], hold[1], hold[2], None, hold[3])
        state.holds = []
        state.settle()


@quietly
def aggregate_too_frequent(cycles):
    hot = aggregation.too_frequent(cycles)
    for lock_id in hot:
        state = _states.get(lock_id)
        if state is not None and state.stats is None:
            state.stats = aggregation.start(lock_id, _now())
            state.quick_holds = state.stats.quick_holds


def _forget_parent_locks():
    _announced.clear()
    for state in list(_states.values()):
        state.forget_parent_holds()
        if state.identity.per_process:
            # A threading lock's copy in a fork child is a lock of its own: the parent's
            # holds and the child's never exclude each other.
            state.rename(identities.forked_id(state.id, os.getpid()))


records.cycles.on_drain = aggregate_too_frequent
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=quietly(_forget_parent_locks))
