"""One mode of the scaling lab: import the learner's module, evaluate the inputs, map the
function over them in the given mode, and send a JSON report to the host.

Arguments:
  --file PATH --function NAME --inputs EXPR   what to map, over what
  --mode sequential|threads|processes --workers N
  --results PATH   the sequential run writes its results there; every other mode compares
                   its own with them

The report, {"ok": true, ...} or {"ok": false, "error": {...}}, goes on the run's event
channel through the tracer running in this process (parallel_lab_tracer.scale_report), not
into a file. Its times are milliseconds since PARALLEL_LAB_T0_NS, which the host sets;
`sentMs` is the moment it was sent, by which the host lines them up with the run record.
"""

import argparse
import json
import os
import sys
import time

from parallel_lab_tracer import scale_report

from . import inputs, learner_module, modes, results
from .mistakes import LearnerMistake

NOT_SENT = "The scaling lab could not send its report to Parallel Lab: this Python has no open connection to it.\n"


def main(argv):
    options = _parse(argv)
    t0_ns = int(os.environ.get("PARALLEL_LAB_T0_NS") or time.monotonic_ns())
    try:
        report = _run(options, t0_ns)
        status = 0
    except LearnerMistake as mistake:
        report = {"ok": False, "error": dict(mistake.details, kind=mistake.kind)}
        status = 1
    report["sentMs"] = (time.monotonic_ns() - t0_ns) / 1e6
    if not scale_report.send(json.dumps(report)):
        sys.stderr.write(NOT_SENT)
        return 2
    return status


def _parse(argv):
    parser = argparse.ArgumentParser(prog="parallel_lab_scale")
    parser.add_argument("--file", required=True)
    parser.add_argument("--function", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--mode", required=True, choices=("sequential", "threads", "processes"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--results", required=True)
    options = parser.parse_args(argv)
    # The learner's module changes the working directory to its own folder.
    options.results = os.path.abspath(options.results)
    return options


def _run(options, t0_ns):
    module = learner_module.import_learner_module(options.file)
    function = learner_module.find_function(module, options.function)
    learner_module.check_takes_one_argument(function, options.function)
    items = inputs.evaluate_inputs(module, options.inputs)

    def run_ms(monotonic_ns):
        return (monotonic_ns - t0_ns) / 1e6

    report = {"ok": True, "mode": options.mode, "workers": options.workers, "items": len(items)}
    if options.mode == "sequential":
        # Checked before any pool exists, so the learner reads why processes cannot run
        # their function instead of a worker's traceback.
        learner_module.check_picklable(function, options.function)
        inputs.check_inputs_picklable(items, options.inputs)
        snapshot = results.GlobalsSnapshot(module)
        report["mapStartMs"] = run_ms(time.monotonic_ns())
        timing = modes.run_sequential(function, items, options.function)
        report["changedGlobals"] = snapshot.changed_names()
        results.save_results(timing.results, options.results, options.function)
    else:
        report["mapStartMs"] = run_ms(time.monotonic_ns())
        if options.mode == "threads":
            timing = modes.run_threads(function, items, options.workers, options.function)
        else:
            timing = modes.run_processes(function, items, options.workers, options.function)
            report["poolCreatedMs"] = run_ms(timing.pool_created_ns)
            report["chunksize"] = timing.chunksize
        report["difference"] = results.first_difference(results.load_results(options.results), timing.results, items)
    report["wallMs"] = timing.wall_s * 1000
    if timing.cpu_s is not None:
        report["cpuMs"] = timing.cpu_s * 1000
    if timing.core_wait_s is not None:
        report["coreWaitMs"] = timing.core_wait_s * 1000
    return report
