"""The tasks a pool worker runs: `task-batch` events
`[pool, fn, items, startMs, endMs, ok, site, submitKey]`.

A task starts when the worker takes it from its pool's task queue and ends when the worker
hands the result to the result queue. Its record is sent right then, before the result:
the parent may terminate the pool as soon as it has the last result (a `with Pool()` block
does), and terminate() kills workers without running their exit handlers. For the same
reason a worker sends everything pending before it waits for its next task. From its
first task a worker writes its records to a spool (spool.py), where sending them costs no
system call and a kill loses none. The site is null: the learner's submit site belongs to
the parent and pairs through submitKey.
"""

import functools
import sys

from .. import clock, record_buffer, wire
from ..event_batches import EventBatch
from .submits import executor_task_key, pool_task_key

POOL = "Pool"
EXECUTOR = "ProcessPoolExecutor"

_monotonic_ns = clock.monotonic_ns

# (pool, fn, items, start_ns, submit_key) of the task this worker is running, or None.
_running = None


# Tuples in wire.TASK_FIELDS order.
_batch = EventBatch(wire.task_batch)


def waiting_for_task():
    record_buffer.flush()


def task_taken(tasks, message):
    global _running
    record_buffer.use_spool()
    pool, pool_type, _side = tasks
    describe = _pool_task if pool_type == POOL else _executor_task
    described = describe(pool, message)
    _running = None if described is None else (pool,) + described[:2] + (_monotonic_ns(), described[2])


def result_leaving(tasks, message):
    global _running
    pool, pool_type, _side = tasks
    outcome = (_pool_result if pool_type == POOL else _executor_result)(pool, message)
    running = _running
    if outcome is None or running is None or running[4] != outcome[0]:
        return
    _running = None
    pool, fn, items, start_ns, key = running
    # wire.TASK_FIELDS; no site: the learner's submit site is the parent's (see above).
    _batch.append((pool, fn, items, start_ns, _monotonic_ns(), outcome[1], None, key))
    record_buffer.flush()


def _pool_task(pool, task):
    """(fn, items, key) of a Pool task (job, index, func, args, kwds), or None."""
    if type(task) is not tuple or len(task) != 5:
        return None
    job, index, func, args, _kwds = task
    library = sys.modules["multiprocessing.pool"]
    if func is library._helper_reraises_exception:
        return None
    items = 1
    if func is library.mapstar or func is library.starmapstar:
        # map and starmap send chunks: args is ((the learner's function, chunk),)
        func, chunk = args[0]
        items = len(chunk)
    return function_name(func), items, pool_task_key(pool, job, index)


def _pool_result(pool, message):
    """(key, ok) of a Pool result (job, index, (ok, value)), or None."""
    if type(message) is not tuple or len(message) != 3:
        return None
    job, index, result = message
    return pool_task_key(pool, job, index), bool(result[0])


def _executor_task(pool, call_item):
    """(fn, items, key) of a ProcessPoolExecutor _CallItem, or None (the stop sentinel)."""
    work_id = getattr(call_item, "work_id", None)
    if work_id is None:
        return None
    fn = call_item.fn
    items = 1
    library = sys.modules["concurrent.futures.process"]
    if isinstance(fn, functools.partial) and fn.func is library._process_chunk:
        # executor.map sends chunks: partial(_process_chunk, the learner's function), (chunk,)
        items = len(call_item.args[0])
        fn = fn.args[0]
    return function_name(fn), items, executor_task_key(pool, work_id)


def _executor_result(pool, result_item):
    """(key, ok) of a ProcessPoolExecutor _ResultItem, or None (a worker's exit notice)."""
    work_id = getattr(result_item, "work_id", None)
    if work_id is None:
        return None
    return executor_task_key(pool, work_id), result_item.exception is None


def function_name(fn):
    while isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
