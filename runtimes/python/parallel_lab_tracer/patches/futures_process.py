"""concurrent.futures.ProcessPoolExecutor: its own queues carry the pool's id, submits their site.

- The executor creates its call queue and result queue in __init__, before any worker
  starts: labelled there, the label travels to every worker (see patches/pool.py).
- submit runs in the learner's thread (executor.map submits each chunk): its work id, time
  and site become a task-submit event, paired with the worker's task record by its key.
- shutdown (the end of a `with` block) sends this process's pending records first.
"""

import sys

from .. import clock
from ..channels.ends import RESULTS, TASKS
from ..channels.wrappers import calling_after, drop_own_frame, like
from ..quiet import quietly
from ..tasks import pools as task_pools, submits as task_submits
from ..tasks.worker import EXECUTOR


def patch(process_module):
    executor_class = process_module.ProcessPoolExecutor
    executor_class.__init__ = calling_after(executor_class.__init__, _label)
    executor_class.submit = recording_submit(executor_class.submit)
    executor_class.shutdown = task_pools.flushing_first(executor_class.shutdown)


@quietly
def _label(executor, *_args, **_kwargs):
    pool_id = task_submits.new_pool_id()
    task_pools.label_pool_queue(executor._call_queue, (pool_id, EXECUTOR, TASKS))
    task_pools.label_pool_queue(executor._result_queue, (pool_id, EXECUTOR, RESULTS))


def recording_submit(submit):
    """submit, recorded; loky's executor (patches/loky_executor.py) has the same attributes."""
    # submit(self, fn, /, *args, **kwargs) since 3.9; 3.8 takes self through *args too.
    def submit_wrapper(*args, **kwargs):
        executor = args[0] if args else None
        work_id = getattr(executor, "_queue_count", None)
        submit_ns = clock.monotonic_ns()
        try:
            future = submit(*args, **kwargs)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _submitted(executor, work_id, submit_ns, sys._getframe(1))
        return future

    return like(submit, submit_wrapper)


@quietly
def _submitted(executor, work_id, submit_ns, frame):
    # The work id is read before the call: if another thread submitted meanwhile, it may not
    # be this submit's, and no event beats a wrong one.
    if work_id is None or executor._queue_count != work_id + 1:
        return
    tasks = executor._call_queue._reader._parallel_lab_end.channel.tasks
    task_submits.submitted(task_submits.executor_task_key(tasks[0], work_id), submit_ns, task_submits.site_of_submit(frame))
