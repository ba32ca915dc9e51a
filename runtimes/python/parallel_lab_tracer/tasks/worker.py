"""The tasks a pool worker runs: `task-start` events
`[pool, poolType, fn, items, startMs, submitKey, call]` as it takes them, and `task-batch`
events `[pool, fn, items, startMs, endMs, ok, site, submitKey]` as it hands their results.

A task starts when the worker takes it from its pool's task queue and ends when the worker
hands the result to the result queue. Its start is written right then, before the learner's
function runs: if the task kills its worker (os._exit, a segfault, the OOM killer), the host
still knows which task the worker was running. Its end is written right before the result: the parent may terminate the pool as soon as it has the last result (a `with Pool()`
block does), and terminate() kills workers without running their exit handlers. For the same
reason a worker sends everything pending before it waits for its next task. From its first
task a worker writes its records to a spool (spool.py), where sending them costs no system
call and a kill loses none. The site is null: the learner's submit site belongs to the parent
and pairs through submitKey.
"""

import sys

from .. import clock, process_id, record_buffer, wire
from . import calls
from .submits import executor_task_key, pool_task_key

POOL = "Pool"
EXECUTOR = "ProcessPoolExecutor"
# joblib's default backend: loky's own ProcessPoolExecutor (patches/loky_executor.py).
LOKY = "loky"

_monotonic_ns = clock.monotonic_ns
# The C quoter of `json`: the five strings of a task are always text.
_quote = wire.quote

# The task this worker is running, or None: (key, start_ms, pool, fn, items, quoted_key), the
# strings quoted for the wire (wire.quote) once, for both lines.
_running = None


def waiting_for_task():
    record_buffer.flush()


def task_taken(tasks, message):
    global _running
    record_buffer.use_spool()
    pool, pool_type, _side = tasks
    describe = _pool_task if pool_type == POOL else _executor_task
    described = describe(pool, message)
    if described is None:
        _running = None
        return
    fn, items, key, call = described
    start_ms = clock.current.ns_to_ms(_monotonic_ns())
    # Quoted once for both lines. A key or call that is not text raises here, and the caller's
    # `quietly` drops the task rather than the learner's program.
    pool, fn, quoted_key = _quote(pool), _quote(fn), _quote(key)
    _running = (key, start_ms, pool, fn, items, quoted_key)
    # Written at once, alone: the pending batches go with the task's end (or before the next wait).
    record_buffer.send_alone(
        wire.task_start_line(process_id.current(), pool, _quote(pool_type), fn, items, start_ms, quoted_key, _quote(call))
    )


def result_leaving(tasks, message):
    global _running
    pool, pool_type, _side = tasks
    outcome = (_pool_result if pool_type == POOL else _executor_result)(pool, message)
    running = _running
    if outcome is None or running is None or running[0] != outcome[0]:
        return
    _running = None
    _key, start_ms, pool, fn, items, quoted_key = running
    end_ms = clock.current.ns_to_ms(_monotonic_ns())
    record_buffer.flush(wire.task_end_line(process_id.current(), pool, fn, items, start_ms, end_ms, outcome[1], quoted_key))


def _pool_task(pool, task):
    """(fn, items, key, call) of a Pool task (job, index, func, args, kwds), or None."""
    if type(task) is not tuple or len(task) != 5:
        return None
    job, index, func, args, kwds = task
    library = sys.modules["multiprocessing.pool"]
    if func is library._helper_reraises_exception:
        return None
    fn, items, call = calls.pool_call(func, args, kwds, (library.mapstar, library.starmapstar))
    return fn, items, pool_task_key(pool, job, index), call


def _pool_result(pool, message):
    """(key, ok) of a Pool result (job, index, (ok, value)), or None."""
    if type(message) is not tuple or len(message) != 3:
        return None
    job, index, result = message
    return pool_task_key(pool, job, index), bool(result[0])


def _executor_task(pool, call_item):
    """(fn, items, key, call) of a ProcessPoolExecutor (or loky) _CallItem, or None (the stop sentinel)."""
    work_id = getattr(call_item, "work_id", None)
    if work_id is None:
        return None
    fn, items, call = calls.executor_call(call_item.fn, call_item.args, call_item.kwargs)
    return fn, items, executor_task_key(pool, work_id), call


def _executor_result(pool, result_item):
    """(key, ok) of a ProcessPoolExecutor _ResultItem, or None (a worker's exit notice)."""
    work_id = getattr(result_item, "work_id", None)
    if work_id is None:
        return None
    return executor_task_key(pool, work_id), result_item.exception is None
