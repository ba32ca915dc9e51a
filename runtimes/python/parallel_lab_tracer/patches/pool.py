"""multiprocessing.Pool: its own queues carry the pool's id, its jobs their submit time and site.

- _setup_queues runs before any worker starts, so the label set here on the task and result
  queues travels to every worker (fork, spawn, forkserver): a worker's task records name the
  pool, and its queues tell it where tasks start and end (patches/queues.py, tasks/worker.py).
- Every apply, map, imap, starmap... creates an ApplyResult (or MapResult) or IMapIterator
  in the learner's thread: the job's time and site are kept there until the pool's cache
  lets go of the job. The task handler thread reports each task of the job as it sends it
  (patches/connection.py).
- close sends this process's pending records first, terminate (which ends a `with Pool()`
  block) right after the pool has ended: a send on the event socket releases the GIL, and
  inside terminate() that lets the task handler thread hand tasks to a ThreadPool's workers
  before terminate() drains their queue (threads cannot be killed: a worker that took a
  `time.sleep(300)` task keeps join() waiting 300 s, as in CPython's test_terminate).
"""

import sys

from .. import clock
from ..channels.ends import RESULTS, TASKS
from ..channels.wrappers import calling_after, drop_own_frame, like
from ..quiet import quietly
from ..tasks import pools as task_pools, submits as task_submits
from ..tasks.worker import POOL


def patch(pool_module):
    pool_class = pool_module.Pool
    pool_class._setup_queues = calling_after(pool_class._setup_queues, label)
    pool_module.ApplyResult.__init__ = _recording_job(pool_module.ApplyResult.__init__)
    pool_module.IMapIterator.__init__ = _recording_job(pool_module.IMapIterator.__init__)
    pool_module._PoolCache.__delitem__ = calling_after(pool_module._PoolCache.__delitem__, _forget_job)
    pool_class.close = task_pools.flushing_first(pool_class.close)
    pool_class.terminate = task_pools.flushing_after(pool_class.terminate)


@quietly
def label(pool, *_args):
    """Labels a Pool's task and result queues (joblib's Pool sets its own up: patches/joblib_pool.py)."""
    pool_id = task_submits.new_pool_id()
    task_pools.label_pool_queue(pool._inqueue, (pool_id, POOL, TASKS))
    task_pools.label_pool_queue(pool._outqueue, (pool_id, POOL, RESULTS))


def _recording_job(init):
    def __init__(self, *args, **kwargs):
        submit_ns = clock.monotonic_ns()
        try:
            init(self, *args, **kwargs)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _job_created(self, submit_ns, sys._getframe(1))

    return like(init, __init__)


@quietly
def _job_created(result, submit_ns, frame):
    task_submits.job_created(result._job, submit_ns, task_submits.site_of_submit(frame))


def _forget_job(_cache, job):
    task_submits.job_forgotten(job)
