"""Tracing of multiprocessing's locks: every SemLock, and the Condition, Event and Barrier
built on them. patches/synchronize.py installs it; see README "Locks" for the design."""
