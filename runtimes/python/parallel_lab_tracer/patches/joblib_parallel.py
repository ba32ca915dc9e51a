"""joblib.Parallel: the learner's line that called Parallel(...)(...) is the site of every
batch it submits.

Parallel dispatches its first batches from the learner's thread, and the next ones from
the thread that completes a batch (loky's or the pool's result thread), where no frame is
the learner's. Each dispatch names the learner's site for the submits it makes: the site
of the call when there is one, else the one this Parallel last had (tasks/submits.py).
"""

import sys
import weakref

from .. import replacements, sites
from ..channels.wrappers import drop_own_frame, like
from ..quiet import quietly
from ..tasks import submits as task_submits

# Parallel object -> the learner's site of its latest call.
_sites = weakref.WeakKeyDictionary()


def patch(parallel_module):
    parallel_class = parallel_module.Parallel
    replacements.replace(parallel_class, "_dispatch", _dispatching_for_learner(parallel_class._dispatch))


def _dispatching_for_learner(dispatch):
    def _dispatch(self, batch):
        previous = _submitting_for(self, sys._getframe(1))
        try:
            return dispatch(self, batch)
        except BaseException as error:
            drop_own_frame(error)
            raise
        finally:
            _submitting_for_again(previous)

    return like(dispatch, _dispatch)


@quietly
def _submitting_for(parallel, frame):
    site = sites.site_of(frame)
    if site is None:
        site = _sites.get(parallel)
    else:
        _sites[parallel] = site
    return task_submits.submitting_for(site)


@quietly
def _submitting_for_again(site):
    task_submits.submitting_for(site)
