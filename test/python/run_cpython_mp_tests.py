"""Runs CPython's own multiprocessing tests for one start method and prints a summary.

    python run_cpython_mp_tests.py METHOD PATTERN [PATTERN ...]

Installs the test classes of test._test_multiprocessing the way CPython's
test_multiprocessing_<method> modules do, keeps the classes whose names match one of the
fnmatch PATTERNs (e.g. "WithProcessesTestLock", "WithProcessesTest*Queue*"), runs them with
unittest and prints, as the last line of stdout, one JSON object:
{"method", "classes", "run", "failures", "errors", "skipped", "failed": [test ids], "seconds"}.

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


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    classes = _selected_classes(argv[2:])
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(globals()[name]) for name in classes)
    started = time.monotonic()
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
    summary = {
        "method": argv[1],
        "classes": classes,
        "run": result.testsRun,
        "failures": len(result.failures),
        "errors": len(result.errors),
        "skipped": len(result.skipped),
        "failed": sorted(test.id() for test, _ in result.failures + result.errors),
        "seconds": round(time.monotonic() - started, 1),
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
