"""The three ways of mapping the function over the inputs, each timed around the map itself.

A process pool's time includes creating the pool: the learner pays for starting the workers
every time they write `Pool(n).map(...)`, and the host reports that start-up separately
from the record. Closing the pool is not timed; it is done with close() and join() rather
than terminate() so that every worker exits normally and its profiler records are sent.

The sequential run also measures how much of its time the function computed: the process's
CPU time, and on Linux the time its thread was ready to run but waited for a free core
(/proc/self/schedstat, the main thread's, which is the one that maps), so the host can tell a
function that computes from one that waits even on a busy machine. The thread pool's CPU
time is measured too: every thread of the process counts in it.
"""

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

from .mistakes import LearnerMistake, error_line, short_repr


class MapTiming(object):
    def __init__(self, results, wall_s, pool_created_ns=None, chunksize=None, cpu_s=None, core_wait_s=None):
        self.results = results
        self.wall_s = wall_s
        self.pool_created_ns = pool_created_ns
        self.chunksize = chunksize
        self.cpu_s = cpu_s
        self.core_wait_s = core_wait_s


def run_sequential(function, items, function_name):
    results = []
    waited = _main_thread_core_wait_s()
    cpu = time.process_time()
    started = time.perf_counter()
    for index, item in enumerate(items):
        try:
            results.append(function(item))
        except Exception as error:
            raise LearnerMistake("function-failed", function=function_name, input=short_repr(item), index=index, error=error_line(error))
    wall_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu
    waited_after = _main_thread_core_wait_s()
    core_wait_s = waited_after - waited if waited is not None and waited_after is not None else None
    return MapTiming(results, wall_s, cpu_s=cpu_s, core_wait_s=core_wait_s)


def run_threads(function, items, workers, function_name):
    cpu = time.process_time()
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=workers) as executor:
            results = list(executor.map(function, items))
    except Exception as error:
        raise LearnerMistake("function-failed-parallel", function=function_name, mode="threads", error=error_line(error))
    return MapTiming(results, time.perf_counter() - started, cpu_s=time.process_time() - cpu)


def _main_thread_core_wait_s():
    """Seconds the main thread has waited on a run queue (the second field of schedstat);
    None where the kernel does not say (not Linux, or schedstats not built in)."""
    try:
        with open("/proc/self/schedstat") as stats:
            return int(stats.read().split()[1]) / 1e9
    except Exception:
        return None


def run_processes(function, items, workers, function_name):
    created_ns = time.monotonic_ns()
    started = time.perf_counter()
    pool = multiprocessing.Pool(workers)
    try:
        results = pool.map(function, items)
        wall_s = time.perf_counter() - started
    except Exception as error:
        pool.terminate()
        pool.join()
        raise LearnerMistake("function-failed-parallel", function=function_name, mode="processes", error=error_line(error))
    pool.close()
    pool.join()
    return MapTiming(results, wall_s, created_ns, default_chunksize(len(items), workers))


def default_chunksize(item_count, workers):
    """What Pool.map chooses when no chunksize is given (the learner's usual call)."""
    chunksize, extra = divmod(item_count, workers * 4)
    return chunksize + 1 if extra else max(chunksize, 1)
