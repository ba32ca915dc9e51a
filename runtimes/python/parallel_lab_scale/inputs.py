"""The learner's inputs: their expression evaluated in their module's namespace, after the
import, so it may use the module's own names (e.g. `[n * 1000 for n in SIZES]`)."""

import pickle

from .mistakes import LearnerMistake, error_line


def evaluate_inputs(module, expression):
    try:
        value = eval(compile(expression, "<inputs>", "eval"), vars(module))
    except SyntaxError as error:
        raise LearnerMistake("inputs-failed", expression=expression, error="SyntaxError: %s" % error.msg)
    except Exception as error:
        raise LearnerMistake("inputs-failed", expression=expression, error=error_line(error))
    try:
        items = list(value)
    except TypeError:
        raise LearnerMistake("inputs-not-iterable", expression=expression, type=type(value).__name__)
    except Exception as error:
        raise LearnerMistake("inputs-failed", expression=expression, error=error_line(error))
    if not items:
        raise LearnerMistake("inputs-empty", expression=expression)
    return items


def check_inputs_picklable(items, expression):
    """A process pool pickles every item to send it to a worker."""
    for index, item in enumerate(items):
        try:
            pickle.dumps(item)
        except Exception as error:
            raise LearnerMistake("inputs-unpicklable", expression=expression, index=index, error=error_line(error))
