"""One mode of the scaling lab: import the learner's module, evaluate the inputs, map the
function over them in the given mode, and write a JSON report.

Arguments:
  --file PATH --function NAME --inputs EXPR   what to map, over what
  --mode sequential|threads|processes --workers N
  --results PATH   the sequential run writes its results there; every other mode compares
                   its own with them
  --report PATH    where the JSON report goes: {"ok": true, ...} or {"ok": false, "error": {...}}

Times in the report are milliseconds on the profiled run's axis (PARALLEL_LAB_T0_NS, which
the host sets), so the host can line them up with the run record.
"""

import argparse
import json
import os
import time

from . import inputs, learner_module, modes, results
from .mistakes import LearnerMistake


def main(argv):
    options = _parse(argv)
    t0_ns = int(os.environ.get("PARALLEL_LAB_T0_NS") or time.monotonic_ns())
    try:
        report = _run(options, t0_ns)
        status = 0
    except LearnerMistake as mistake:
        report = {"ok": False, "error": dict(mistake.details, kind=mistake.kind)}
        status = 1
    _write_json(options.report, report)
    return status


def _parse(argv):
    parser = argparse.ArgumentParser(prog="parallel_lab_scale")
    parser.add_argument("--file", required=True)
    parser.add_argument("--function", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--mode", required=True, choices=("sequential", "threads", "processes"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--results", required=True)
    parser.add_argument("--report", required=True)
    options = parser.parse_args(argv)
    # The learner's module changes the working directory to its own folder.
    options.results = os.path.abspath(options.results)
    options.report = os.path.abspath(options.report)
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
    return report


def _write_json(path, document):
    temporary = path + ".tmp"
    with open(temporary, "w") as out:
        json.dump(document, out)
    os.replace(temporary, path)
