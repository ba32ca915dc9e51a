"""The scaling lab's harness: maps one of the learner's functions over their inputs in one
mode (sequential, a thread pool, a process pool of N workers) and reports the time.

Standard library only, Python 3.8+. The host (src/extension/engine/scaling/) runs
`__main__.py` once per mode under the profiler; see harness.py for the arguments and the
report it writes.
"""
