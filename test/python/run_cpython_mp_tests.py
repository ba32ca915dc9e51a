"""Runs CPython's own multiprocessing tests for one start method and prints a summary.

    python run_cpython_mp_tests.py METHOD [--durations OUT] PATTERN [PATTERN ...]

Installs the test classes of test._test_multiprocessing the way CPython's
test_multiprocessing_<method> modules do (every class: WithProcesses*, WithThreads*,
WithManager* and the module-level ones such as TestWait), keeps the classes whose names
match one of the fnmatch PATTERNs ("*" for the whole suite, "WithProcessesTestLock",
"WithManagerTest*Queue*") and the single tests named "Class.test_name", runs them with
unittest and prints, as the last line of stdout, one JSON object:
{"method", "classes", "run", "failures", "errors", "skipped", "failed": [test ids], "seconds"}.
--durations OUT writes {test id: seconds} of every test to OUT, to find the slow ones.

The classes are installed at import time, not under the main guard: spawn and forkserver
children import this file again and must find the same classes. The start method travels
to them in an environment variable, since their argv is not this script's.
"""

import fnmatch
import json
import os
import sys
import time
import unittest

import test._test_multiprocessing as cpython_tests

METHOD_ENV = "PARALLEL_LAB_CPYTHON_TEST_METHOD"

if __name__ == "__main__" and len(sys.argv) >= 2:
    os.environ[METHOD_ENV] = sys.argv[1]

cpython_tests.install_tests_in_module_dict(globals(), os.environ.get(METHOD_ENV, "fork"))


def _selected_classes(patterns):
    return sorted(
        name
        for name, value in globals().items()
        if isinstance(value, type)
        and issubclass(value, unittest.TestCase)
        and any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
    )


def _selected_suite(patterns):
    """(class names, suite): whole classes for the patterns, single tests for "Class.test_name"."""
    loader = unittest.TestLoader()
    tests = [pattern for pattern in patterns if "." in pattern]
    classes = _selected_classes([pattern for pattern in patterns if "." not in pattern])
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(globals()[name]) for name in classes)
    for test in tests:
        suite.addTest(loader.loadTestsFromName(test, sys.modules[__name__]))
    return sorted(set(classes) | {test.split(".")[0] for test in tests}), suite


class _TimedResult(unittest.TextTestResult):
    """A TextTestResult that also keeps each test's wall time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.durations = {}
        self._started = 0.0

    def startTest(self, test):
        self._started = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.durations[test.id()] = round(time.monotonic() - self._started, 3)


def _parse(argv):
    method, rest = argv[1], argv[2:]
    durations_path = None
    if rest[:1] == ["--durations"] and len(rest) >= 2:
        durations_path, rest = rest[1], rest[2:]
    return method, durations_path, rest


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    method, durations_path, patterns = _parse(argv)
    classes, suite = _selected_suite(patterns)
    started = time.monotonic()
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=1, resultclass=_TimedResult)
    result = runner.run(suite)
    summary = {
        "method": method,
        "classes": classes,
        "run": result.testsRun,
        "failures": len(result.failures),
        "errors": len(result.errors),
        "skipped": len(result.skipped),
        "failed": sorted(test.id() for test, _ in result.failures + result.errors),
        "seconds": round(time.monotonic() - started, 1),
    }
    if durations_path:
        with open(durations_path, "w") as out:
            json.dump(result.durations, out, indent=0, sort_keys=True)
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
