"""What the Pool and ProcessPoolExecutor patches share: labelling a pool's own queues, and
sending pending records when the pool goes away."""

from .. import record_buffer
from ..channels.wrappers import calling_after, drop_own_frame, like
from ..quiet import quietly


def label_pool_queue(queue, tasks):
    """Marks both ends of a pool's queue with `tasks` = (pool id, pool type, TASKS | RESULTS).

    Done before any worker starts, the label travels to every worker with the queue.
    A ThreadPool's queues are queue.SimpleQueue objects: no pipe, nothing to label.
    """
    end = getattr(getattr(queue, "_reader", None), "_parallel_lab_end", None)
    if end is not None:
        end.channel.tasks = tasks


def flushing_first(method):
    """close / terminate / shutdown: this process's submit events go out before the pool ends."""

    def wrapper(self, *args, **kwargs):
        _flush()
        try:
            return method(self, *args, **kwargs)
        except BaseException as error:
            drop_own_frame(error)
            raise

    return like(method, wrapper)


def flushing_after(method):
    """terminate: this process's submit events go out once the pool has ended, not before
    (see patches/pool.py for why not before)."""
    return calling_after(method, _flush)


@quietly
def _flush(*_args, **_kwargs):
    record_buffer.flush()
