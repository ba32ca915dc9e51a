"""Carries a lock's tracer identity inside the SemLock's own pickled state.

SemLock.__getstate__ returns (handle, kind, maxvalue, name), which __setstate__ unpacks
into _multiprocessing.SemLock._rebuild. The tracer returns the same four values as a tuple
subclass that also holds the lock's identity, so that:
- an interpreter whose tracer did not start still unpickles it unchanged (it is a 4-tuple);
- a traced child learns the identity before __setstate__ runs: unpickling rebuilds this
  state first, which leaves the identity where the child's _make_methods looks for it.
No wrapper around __setstate__ is needed, so the FileNotFoundError a child gets for a
semaphore its parent already removed shows the same traceback as without the tracer.

This module imports nothing of the tracer: an untraced child must be able to load it.
"""

# semaphore key -> identity, from unpickling until the rebuilt SemLock takes it
arrived = {}


def semaphore_key(name, handle):
    """What a SemLock and its pickled state agree on: the name, or the handle without one."""
    return name if name is not None else handle


class TracedSemLockState(tuple):
    """The SemLock's state tuple, plus `identity` (see identity.LockIdentity.carried)."""

    def __reduce__(self):
        return (_arrive, (tuple(self), self.identity))


def traced_state(state, identity):
    traced = TracedSemLockState(state)
    traced.identity = identity
    return traced


def _arrive(state, identity):
    arrived[semaphore_key(state[3], state[0])] = identity
    return traced_state(state, identity)
