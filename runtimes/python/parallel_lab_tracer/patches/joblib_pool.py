"""joblib's multiprocessing backend: a multiprocessing.Pool (MemmappingPool) whose task and
result queues are joblib's own CustomizablePicklingQueue, a Pipe with a lock at each end.

- PicklingPool._setup_queues replaces Pool's (patched in patches/pool.py) without calling
  it: the label of the pool's queues is set here instead, before any worker starts.
- CustomizablePicklingQueue._make_methods binds get, put and _send as closures, in the
  parent and again in each worker that unpickles the queue: they are wrapped there, so
  that a worker's tasks start where it takes one (get) and end where the result leaves
  (put), and the parent's task handler reports each task as it sends it (_send, when joblib
  pickles with its own reducers rather than through Connection.send).
- The queue's pipe is internal (channels/origin.py): its messages are the Pipe's sends and
  receipts, recorded by patches/connection.py.
"""

from .. import replacements
from ..channels.ends import RESULTS, TASKS
from ..channels.wrappers import calling_after, drop_own_frame, like
from ..quiet import quietly
from ..tasks import submits as task_submits, worker as task_worker
from .pool import label as label_pool


def patch(pool_module):
    pickling_pool = pool_module.PicklingPool
    replacements.replace(pickling_pool, "_setup_queues", calling_after(pickling_pool._setup_queues, label_pool))
    queue_class = pool_module.CustomizablePicklingQueue
    replacements.replace(queue_class, "_make_methods", calling_after(queue_class._make_methods, _trace_methods))


@quietly
def _trace_methods(queue):
    reader, writer = queue._reader, queue._writer
    queue.get = _traced_get(queue.get, reader)
    queue.put = _traced_put(queue.put, writer)
    if queue._reducers:
        # Pickled by joblib and sent as bytes: Connection.send, which reports a pool's tasks
        # as it sends them, is not on the way.
        queue._send = _traced_send(queue._send, writer)


def _tasks_of(connection):
    end = getattr(connection, "_parallel_lab_end", None)
    return end.channel.tasks if end is not None else None


def _traced_get(get, reader):
    def traced_get():
        tasks = _tasks_of(reader)
        if tasks is not None and tasks[2] == TASKS:
            _quietly(task_worker.waiting_for_task)
        try:
            obj = get()
        except BaseException as error:
            drop_own_frame(error)
            raise
        if tasks is not None and tasks[2] == TASKS:
            _quietly(task_worker.task_taken, tasks, obj)
        return obj

    return like(get, traced_get)


def _traced_put(put, writer):
    def traced_put(obj):
        tasks = _tasks_of(writer)
        if tasks is not None and tasks[2] == RESULTS:
            _quietly(task_worker.result_leaving, tasks, obj)
        try:
            return put(obj)
        except BaseException as error:
            drop_own_frame(error)
            raise

    return like(put, traced_put)


def _traced_send(send, writer):
    def traced_send(obj):
        tasks = _tasks_of(writer)
        if tasks is not None and tasks[2] == TASKS and tasks[1] == task_worker.POOL:
            _quietly(task_submits.pool_task_sent, tasks[0], obj)
        try:
            return send(obj)
        except BaseException as error:
            drop_own_frame(error)
            raise

    return like(send, traced_send)


@quietly
def _quietly(function, *args):
    function(*args)
