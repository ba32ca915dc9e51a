// A step of the plan with every run the lab took of it: each run its own profiled process,
// with the harness's report and the run's record.

import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import type { MappedReport } from './harnessReport';
import type { ScalingStep } from './plan';
import { medianRunIndex } from '../../../shared/runSpread';

export interface FinishedStep {
  report: MappedReport;
  record: RunRecord<LockEventList>;
}

export interface MeasuredStep {
  step: ScalingStep;
  /** In the order they ran; never empty once the lab has measured. */
  runs: FinishedStep[];
}

export function runsMsOf(measured: MeasuredStep): number[] {
  return measured.runs.map(({ report }) => report.wallMs);
}

/** The run nearest the median: its record stands for the mode (the breakdown, the panel). */
export function representativeRun(measured: MeasuredStep): FinishedStep {
  return measured.runs[medianRunIndex(runsMsOf(measured))];
}
