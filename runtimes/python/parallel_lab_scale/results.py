"""Whether a mode computed what the sequential run computed.

Each mode runs in its own process, so the sequential run pickles its results to a file and
every later mode compares its own against them with ==, in Python, as the learner would.
A digest of repr() would not do: a set of strings prints in a different order in every
process (string hashing is randomised per process).
"""

import pickle

from .mistakes import LearnerMistake, error_line, short_repr


def save_results(results, path, function_name):
    try:
        data = pickle.dumps(results)
    except Exception as error:
        # A process pool pickles every result to send it back: it could not run this either.
        raise LearnerMistake("results-unpicklable", function=function_name, error=error_line(error))
    with open(path, "wb") as out:
        out.write(data)


def load_results(path):
    with open(path, "rb") as source:
        return pickle.load(source)


def first_difference(expected, actual, items):
    """None when the results are equal, else where they first differ, for the learner to see."""
    if len(expected) != len(actual):
        return {"index": min(len(expected), len(actual)), "input": None, "expected": "%d results" % len(expected), "actual": "%d results" % len(actual)}
    for index, (want, got) in enumerate(zip(expected, actual)):
        if not _same(want, got):
            return {"index": index, "input": short_repr(items[index]), "expected": short_repr(want), "actual": short_repr(got)}
    return None


def _same(want, got):
    try:
        if want == got:
            return True
    except Exception:
        pass
    # NaN is not equal to itself, yet the same NaN twice is the same result.
    return short_repr(want, 10000) == short_repr(got, 10000)


class GlobalsSnapshot(object):
    """The module's plain global variables, to notice a function that changes them while it runs:
    with processes each worker changes its own copy, and the main program never sees it."""

    def __init__(self, module):
        self._values = _plain_globals(module)
        self._module = module

    def changed_names(self):
        after = _plain_globals(self._module)
        return sorted(name for name in set(self._values) | set(after) if self._values.get(name) != after.get(name))


def _plain_globals(module):
    values = {}
    for name, value in vars(module).items():
        if name.startswith("__") or callable(value) or type(value).__name__ == "module":
            continue
        values[name] = short_repr(value, 10000)
    return values
