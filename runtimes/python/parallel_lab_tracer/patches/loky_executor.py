"""loky's ProcessPoolExecutor (joblib's default backend, also loky on its own): its tasks,
as for concurrent.futures (patches/futures_process.py), which it is modelled on.

- _setup_queues creates its call queue and result queue before any worker starts: labelled
  there, the label travels to every worker (loky's pickler carries it: patches/loky_reduction.py).
- submit runs in the thread that submits (joblib's: the learner's thread for the first
  batches, then the thread that completes a result): its work id, time and site become a
  task-submit event, paired with the worker's task record by its key.
- The worker puts its results on loky's own SimpleQueue, whose put replaces
  multiprocessing's: traced here, so that a task ends where the result leaves. loky's Queue
  runs its own feeder thread: traced the same way as multiprocessing's (patches/queues.py).
- The worker's role: loky's _process_worker is a pool worker (patches/process_bootstrap.py);
  the wake-up pipe of its manager thread is no channel (channels/origin.py).
"""

import sys

from .. import replacements
from ..channels.ends import RESULTS, TASKS
from ..channels.wrappers import calling_after
from ..quiet import quietly
from ..tasks import pools as task_pools, submits as task_submits
from ..tasks.worker import LOKY
from . import futures_process, queues as queues_patch


def patch(process_module):
    executor_class = process_module.ProcessPoolExecutor
    replacements.replace(executor_class, "_setup_queues", calling_after(executor_class._setup_queues, _label))
    replacements.replace(executor_class, "submit", futures_process.recording_submit(executor_class.submit))
    replacements.replace(executor_class, "shutdown", task_pools.flushing_first(executor_class.shutdown))
    multiprocessing_util = sys.modules["multiprocessing.util"]
    queues_patch.trace_subclasses(process_module.Queue, process_module.SimpleQueue, multiprocessing_util.Finalize)


@quietly
def _label(executor, *_args, **_kwargs):
    pool_id = task_submits.new_pool_id()
    task_pools.label_pool_queue(executor._call_queue, (pool_id, LOKY, TASKS))
    task_pools.label_pool_queue(executor._result_queue, (pool_id, LOKY, RESULTS))
