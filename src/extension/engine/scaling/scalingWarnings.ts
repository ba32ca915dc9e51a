// The lab's warnings for the learner: results that differ between modes, a function that
// changes global variables, other programs' load on the cores, and whatever the profiler noticed in each run.

import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import type { MappedReport } from './harnessReport';
import { otherLoadWarning } from './otherLoad';
import { stepLabel } from './plan';

export interface FinishedStep {
  report: MappedReport;
  record: RunRecord<LockEventList>;
}

export function scalingWarnings(functionName: string, steps: readonly FinishedStep[]): string[] {
  const warnings: string[] = [];
  const differing = steps.filter(({ report }) => report.difference);
  const first = differing[0]?.report;
  if (first?.difference) {
    const { difference } = first;
    const where = difference.input === null ? `it returned ${difference.actual} instead of ${difference.expected}` : `for input ${difference.input} it returned ${difference.actual} instead of ${difference.expected}`;
    warnings.push(
      `The results with ${differing.map(({ report }) => stepLabel(report)).join(', ')} differ from the sequential run's (with ${stepLabel(first)}, ${where}). ` +
        `${functionName}'s result depends on something besides its input (random numbers, the time, or a global variable it changes), so each mode did different work; make it depend on its input only.`,
    );
  }
  const changed = steps.find(({ report }) => report.mode === 'sequential')?.report.changedGlobals ?? [];
  if (changed.length > 0) {
    warnings.push(
      `${functionName} changed the global variable${changed.length === 1 ? '' : 's'} ${changed.join(', ')} while it ran. ` +
        'Each worker process changes its own copy, so the main program never sees those changes; return the values instead.',
    );
  }
  const load = otherLoadWarning(steps.map(({ report, record }) => ({ step: report, record })));
  if (load) warnings.push(load);
  for (const { report, record } of steps) {
    for (const warning of record.warnings) warnings.push(`(${stepLabel(report)}) ${warning}`);
  }
  return warnings;
}
