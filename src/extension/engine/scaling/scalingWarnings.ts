// The lab's warnings for the learner: results that differ between modes, a function that
// changes global variables, other programs' load on the cores, and whatever the profiler
// noticed in each run (said once per mode, however many of its runs noticed it).

import type { MeasuredStep } from './measuredSteps';
import { otherLoadWarning } from './otherLoad';
import { stepLabel } from './plan';

export function scalingWarnings(functionName: string, measured: readonly MeasuredStep[]): string[] {
  const warnings: string[] = [];
  // Each mode's first run whose results differed: one is enough to flag the mode.
  const differing = measured.flatMap(({ runs }) => runs.filter(({ report }) => report.difference).slice(0, 1));
  const first = differing[0]?.report;
  if (first?.difference) {
    const { difference } = first;
    const where = difference.input === null ? `it returned ${difference.actual} instead of ${difference.expected}` : `for input ${difference.input} it returned ${difference.actual} instead of ${difference.expected}`;
    warnings.push(
      `The results with ${differing.map(({ report }) => stepLabel(report)).join(', ')} differ from the sequential run's (with ${stepLabel(first)}, ${where}). ` +
        `${functionName}'s result depends on something besides its input (random numbers, the time, or a global variable it changes), so each mode did different work; make it depend on its input only.`,
    );
  }
  const sequentialRuns = measured.find(({ step }) => step.mode === 'sequential')?.runs ?? [];
  const changed = [...new Set(sequentialRuns.flatMap(({ report }) => report.changedGlobals ?? []))].sort();
  if (changed.length > 0) {
    warnings.push(
      `${functionName} changed the global variable${changed.length === 1 ? '' : 's'} ${changed.join(', ')} while it ran. ` +
        'Each worker process changes its own copy, so the main program never sees those changes; return the values instead.',
    );
  }
  const load = otherLoadWarning(measured.map(({ step, runs }) => ({ step, records: runs.map(({ record }) => record) })));
  if (load) warnings.push(load);
  for (const { step, runs } of measured) {
    for (const warning of new Set(runs.flatMap(({ record }) => record.warnings))) warnings.push(`(${stepLabel(step)}) ${warning}`);
  }
  return warnings;
}
