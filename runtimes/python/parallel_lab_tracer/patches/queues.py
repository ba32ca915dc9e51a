"""Queue, JoinableQueue and SimpleQueue messages: every put and get becomes one ipc event.

A queue is one channel (the Pipe it is built on keeps its id, relabelled as the queue's).
- get and SimpleQueue.put are timed here; the size comes from the bytes that crossed the
  pipe inside the call (channels/sizes.py).
- Queue.put returns before anything is pickled: the queue's feeder thread pickles and sends
  later. The put's time and site are taken here and paired with the size the feeder sent
  (channels/fed_puts.py): the feeder thread's send_bytes and error callback are wrapped when it
  starts, so nothing is pickled twice.
- A pool's own queues also mark task boundaries in its workers (tasks/worker.py): taking a task
  from the task queue starts it, putting a result on the result queue ends it.
"""

import sys

from .. import clock, record_buffer, replacements, sites
from ..channels import ends as channel_ends, events as channel_events, sizes as channel_sizes
from ..channels.ends import RESULTS, TASKS
from ..channels.fed_puts import FAILED, FedPuts
from ..channels.wrappers import calling_after, drop_own_frame, like
from ..tasks import worker as task_worker
from ..quiet import quietly

_monotonic_ns = clock.monotonic_ns


def patch(queues):
    queue_class, joinable_class, simple_class = queues.Queue, queues.JoinableQueue, queues.SimpleQueue

    def api_of(queue):
        if isinstance(queue, joinable_class):
            return "JoinableQueue"
        return "Queue" if isinstance(queue, queue_class) else "SimpleQueue"

    def relabel(queue, *_args, **_kwargs):
        _relabel(queue, api_of)

    queue_class.__init__ = calling_after(queue_class.__init__, relabel)
    simple_class.__init__ = calling_after(simple_class.__init__, relabel)
    queue_class.put = _traced_fed_put(queue_class.put)
    joinable_class.put = _traced_fed_put(joinable_class.put)
    queue_class.get = _traced_get(queue_class.get)
    queue_class._start_thread = _starting_fed_puts(queue_class._start_thread, queues.Finalize)
    queue_class._feed = staticmethod(_counting_feed(queue_class.__dict__["_feed"].__func__))
    simple_class.put = _traced_simple_put(simple_class.put)
    simple_class.get = _traced_get(simple_class.get)


def trace_subclasses(queue_class, simple_class, finalize):
    """A library's own Queue and SimpleQueue subclasses (loky's) that replace the methods
    patched here: SimpleQueue.put, and the Queue's feeder thread (its start and _feed, whose
    arguments are those of multiprocessing's at both ends)."""
    replacements.replace(simple_class, "put", _traced_simple_put(simple_class.put))
    replacements.replace(queue_class, "_start_thread", _starting_fed_puts(queue_class._start_thread, finalize))
    replacements.replace(queue_class, "_feed", staticmethod(_counting_feed(queue_class.__dict__["_feed"].__func__)))


@quietly
def _relabel(queue, api_of):
    channel_ends.relabel_as_queue(queue._reader, queue._writer, api_of(queue))


def _traced_fed_put(put):
    def put_wrapper(self, obj, block=True, timeout=None):
        start_ns = _monotonic_ns()
        try:
            put(self, obj, block, timeout)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _put_returned(self._writer._parallel_lab_end, start_ns, sys._getframe(1))

    return like(put, put_wrapper)


@quietly
def _put_returned(end, start_ns, frame):
    if end is not None and end.fed_puts is not None:
        end_ns = _monotonic_ns()
        # No walk for a library queue (an executor's call queue): see channel_events.record.
        site = None if end.channel.internal else sites.site_of(frame)
        end.fed_puts.returned.append((start_ns, end_ns, site))


def _traced_simple_put(put):
    def put_wrapper(self, obj):
        end = self._writer._parallel_lab_end
        if end is not None and end.channel.tasks is not None:
            _before_put_on_pool_queue(end.channel.tasks, obj)
        start_ns = _monotonic_ns()
        try:
            put(self, obj)
        except BaseException as error:
            drop_own_frame(error)
            raise
        if end is not None:
            channel_events.record("put", end, start_ns, channel_sizes.last(), sys._getframe(1))

    return like(put, put_wrapper)


@quietly
def _before_put_on_pool_queue(tasks, obj):
    if tasks[2] == RESULTS:
        task_worker.result_leaving(tasks, obj)


def _traced_get(get):
    # One wrapper for Queue.get(block, timeout) and SimpleQueue.get(): the arguments pass through.
    def get_wrapper(self, *args, **kwargs):
        end = self._reader._parallel_lab_end
        if end is not None and end.channel.tasks is not None:
            _before_get_on_pool_queue(end.channel.tasks)
        start_ns = _monotonic_ns()
        try:
            obj = get(self, *args, **kwargs)
        except BaseException as error:
            drop_own_frame(error)
            raise
        if end is not None:
            channel_events.record("get", end, start_ns, channel_sizes.last(), sys._getframe(1))
            if end.channel.tasks is not None:
                _after_get_on_pool_queue(end.channel.tasks, obj)
        return obj

    return like(get, get_wrapper)


@quietly
def _before_get_on_pool_queue(tasks):
    if tasks[2] == TASKS:
        task_worker.waiting_for_task()


@quietly
def _after_get_on_pool_queue(tasks, obj):
    if tasks[2] == TASKS:
        task_worker.task_taken(tasks, obj)


def _starting_fed_puts(start_thread, finalize):
    # A feeder thread starts on an emptied buffer (first put in this process, or after a
    # fork): its pairing of puts and sizes starts empty too.
    def _start_thread(self):
        _new_fed_puts(self._writer._parallel_lab_end)
        try:
            start_thread(self)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _flush_after_feeder_join(finalize)

    return like(start_thread, _start_thread)


# Since Python 3.13 a fork or forkserver child runs multiprocessing's exit finalizers after
# its bootstrap has returned (and the tracer has reported the end): the feeder thread's last
# puts would then be recorded too late to be sent. A finalizer that runs after the feeder
# join (exit priority -5) sends them.
FLUSH_EXIT_PRIORITY = -6


@quietly
def _flush_after_feeder_join(finalize):
    finalize(None, _flush, exitpriority=FLUSH_EXIT_PRIORITY)


@quietly
def _flush():
    record_buffer.flush()


@quietly
def _new_fed_puts(end):
    if end is not None:
        end.fed_puts = FedPuts(end)


def _counting_feed(feed):
    # Queue._feed(buffer, notempty, send_bytes, writelock, ..., onerror, queue_sem): the middle
    # arguments differ between Python versions, the ends do not.
    def _feed(buffer, notempty, send_bytes, writelock, *rest):
        fed_puts = _fed_puts_of(send_bytes)
        if fed_puts is not None and len(rest) >= 2:
            send_bytes = _counting_send(fed_puts, send_bytes)
            rest = rest[:-2] + (_counting_error(fed_puts, rest[-2]),) + rest[-1:]
        return feed(buffer, notempty, send_bytes, writelock, *rest)

    return like(feed, _feed)


@quietly
def _fed_puts_of(send_bytes):
    end = getattr(getattr(send_bytes, "__self__", None), "_parallel_lab_end", None)
    return end.fed_puts if end is not None else None


def _counting_send(fed_puts, send_bytes):
    def send_bytes_and_count(buf):
        try:
            send_bytes(buf)
        except BaseException as error:
            drop_own_frame(error)
            raise
        _quietly_fed(fed_puts, len(buf))

    return send_bytes_and_count


def _counting_error(fed_puts, onerror):
    # The feeder could not pickle or send an object: it never reaches the other side.
    def onerror_after_counting(error, obj):
        _quietly_fed(fed_puts, FAILED)
        return onerror(error, obj)

    return onerror_after_counting


@quietly
def _quietly_fed(fed_puts, size):
    # An error here would reach the feeder's own error handling and drop the message.
    fed_puts.sent.append(size)
