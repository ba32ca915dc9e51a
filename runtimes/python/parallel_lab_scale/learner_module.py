"""Importing the learner's module by its own name and finding their function in it.

The module is imported exactly as a pool's worker processes will import it to unpickle the
function (by module name, from its folder on sys.path), so whatever fails for the workers
fails here first, with a sentence instead of a worker's traceback.
"""

import importlib
import inspect
import os
import pickle
import sys
import traceback
import types

from .mistakes import LearnerMistake, error_line


def import_learner_module(file):
    folder = os.path.dirname(os.path.abspath(file))
    name = os.path.splitext(os.path.basename(file))[0]
    if not name.isidentifier():
        raise LearnerMistake("module-name", module=name)
    shadowing = sys.modules.get(name)
    if shadowing is not None and not _same_file(getattr(shadowing, "__file__", None), file):
        raise LearnerMistake("module-shadowed", module=name)
    sys.path.insert(0, folder)
    # Workers started by spawn or forkserver find the module through PYTHONPATH: a
    # forkserver does not receive the parent's sys.path. Appended, so that the profiler's
    # folder stays first (its sitecustomize must win).
    inherited = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = (inherited + os.pathsep if inherited else "") + folder
    os.chdir(folder)
    try:
        module = importlib.import_module(name)
    except SyntaxError as error:
        raise LearnerMistake("import-failed", module=name, error=error_line(error), line=error.lineno)
    except BaseException as error:  # SystemExit too: a module that exits on import cannot be mapped
        raise LearnerMistake("import-failed", module=name, error=error_line(error), line=_learner_line(error, file))
    if not _same_file(getattr(module, "__file__", None), file):
        raise LearnerMistake("module-shadowed", module=name)
    return module


def find_function(module, function_name):
    head, _, rest = function_name.partition(".")
    found = getattr(module, head, None)
    if rest:
        if callable(found) and _defines_nested(found, rest):
            raise LearnerMistake("nested-function", function=function_name, outer=head)
        found = None
    if found is None:
        raise LearnerMistake("function-missing", function=function_name, module=module.__name__, available=_top_level_functions(module))
    if not callable(found):
        raise LearnerMistake("not-callable", function=function_name, type=type(found).__name__)
    return found


def check_picklable(function, function_name):
    """Process pools send the function to the workers by reference: module and qualified name."""
    qualname = getattr(function, "__qualname__", "")
    if qualname == "<lambda>" or qualname.endswith(".<lambda>"):
        raise LearnerMistake("lambda", function=function_name)
    if "<locals>" in qualname:
        raise LearnerMistake("nested-function", function=function_name, outer=qualname.split(".<locals>")[0])
    try:
        pickle.dumps(function)
    except Exception as error:
        raise LearnerMistake("function-unpicklable", function=function_name, error=error_line(error))


def check_takes_one_argument(function, function_name):
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return  # a builtin without a signature: let the map itself say what is wrong
    try:
        signature.bind(object())
    except TypeError:
        parameters = [p.name for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = [p.name for p in signature.parameters.values() if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        raise LearnerMistake("arity", function=function_name, parameters=required or parameters)


def _defines_nested(outer, name):
    code = getattr(outer, "__code__", None)
    return code is not None and any(isinstance(const, types.CodeType) and const.co_name == name for const in code.co_consts)


def _top_level_functions(module):
    return sorted(
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and getattr(value, "__module__", None) == module.__name__ and not name.startswith("_")
    )


def _learner_line(error, file):
    target = os.path.abspath(file)
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if os.path.abspath(frame.filename) == target]
    return lines[-1] if lines else None


def _same_file(a, b):
    try:
        return a is not None and os.path.samefile(a, b)
    except OSError:
        return False
