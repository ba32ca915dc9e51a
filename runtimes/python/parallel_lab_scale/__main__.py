"""Entry point: `python -m parallel_lab_scale ...` or `python .../parallel_lab_scale/__main__.py ...`.

Named __main__.py on purpose: spawn and forkserver workers do not re-run a main module of
that name, so the workers only import the learner's module, never this harness.
"""

import os
import sys

if __name__ == "__main__":
    # Run as a file, this folder is sys.path[0]: its modules would shadow top-level modules
    # of the same names in the learner's program.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    from parallel_lab_scale.harness import main

    sys.exit(main(sys.argv[1:]))
