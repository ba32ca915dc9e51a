"""Tasks handed to a pool by this process: `task-submit` events `[submitKey, submitMs, site]`.

The worker that runs a task reports the same submitKey, so the host can pair the two: how
long the task waited for a worker, and where the learner submitted it (site ids are per
process, so the site stays on the parent's side of the pair).
"""

import itertools
import os
import _thread

from .. import sites, wire
from ..event_batches import EventBatch

_pool_numbers = itertools.count()


# Tuples in wire.TASK_SUBMIT_FIELDS order.
_batch = EventBatch(wire.task_submit)


def new_pool_id():
    """The same in the parent and its workers: it travels with the pool's own queues."""
    return "%d:%d" % (os.getpid(), next(_pool_numbers))


def pool_task_key(pool, job, index):
    return "%s:%s:%s" % (pool, job, index)


def executor_task_key(pool, work_id):
    return "%s:%s" % (pool, work_id)


# A library that submits on the learner's behalf from a thread of its own (joblib dispatches
# its next batches from the thread that completes a result) has no learner frame there: it
# names, for the submits of that thread meanwhile, the learner's line that started the work.
_on_behalf = _thread._local()


def site_of_submit(frame):
    """The learner's site of a submit made by `frame`, or of the work a library submits for."""
    site = sites.site_of(frame)
    return site if site is not None else getattr(_on_behalf, "site", None)


def submitting_for(site):
    """This thread's submits are for the learner's `site` (None: for no one) until the next
    call; returns what it was."""
    previous = getattr(_on_behalf, "site", None)
    _on_behalf.site = site
    return previous


def _forget_parent_site():
    # Site ids are per process: a fork child (of a thread that was dispatching) starts anew.
    _on_behalf.site = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_site)


def submitted(key, submit_ns, site):
    _batch.append((key, submit_ns, site))  # wire.TASK_SUBMIT_FIELDS


# multiprocessing.Pool turns a job (one apply, map or imap call) into tasks in its task
# handler thread, where no learner frame exists. The job's time and site are kept from its
# creation in the learner's thread until the pool's cache lets go of the job.
_jobs = {}


def job_created(job, submit_ns, site):
    _jobs[job] = (submit_ns, site)


def job_forgotten(job):
    _jobs.pop(job, None)


def pool_task_sent(pool, task):
    """The task handler put `task` (job, index, func, args, kwds) on the pool's task queue."""
    if type(task) is not tuple or len(task) != 5:
        return  # the sentinel None that stops a worker
    job, index, func = task[0], task[1], task[2]
    submit = _jobs.get(job)
    # An iterable that raised becomes a task re-raising the error: no work of the learner's.
    if submit is not None and getattr(func, "__name__", None) != "_helper_reraises_exception":
        submitted(pool_task_key(pool, job, index), submit[0], submit[1])
