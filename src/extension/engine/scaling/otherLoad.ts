// Other programs' load during the lab's runs. A speedup measured while something else used
// the cores is lower than the function gets on an idle machine; the lab says so with the
// figures rather than let the learner blame the function (or Amdahl's law) for it.

import { coreMeans } from '../../../shared/cpuFigures';
import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import { stepLabel, type ScalingStep } from './plan';

/** From this many cores' worth of other programs' work in a run, its timing is called disturbed. */
export const DISTURBING_CORES = 0.2;

export interface LoadedStep {
  step: ScalingStep;
  /** Every run of the step. */
  records: ReadonlyArray<RunRecord<LockEventList>>;
}

/**
 * Null when no step's runs shared the machine with DISTURBING_CORES or more of other work on
 * average, or where that is not measured.
 */
export function otherLoadWarning(steps: readonly LoadedStep[]): string | null {
  const disturbed: string[] = [];
  let cores = 0;
  for (const { step, records } of steps) {
    const measured = records.map((record) => coreMeans(record).othersCores).filter((others): others is number => others !== null);
    cores = records[0]?.cores ?? cores;
    if (measured.length === 0) continue;
    const others = measured.reduce((sum, value) => sum + value, 0) / measured.length;
    const runs = records.length === 1 ? 'the run' : 'the runs';
    if (others >= DISTURBING_CORES) disturbed.push(`${others.toFixed(1)} during ${runs} with ${stepLabel(step)}`);
  }
  if (disturbed.length === 0) return null;
  return (
    `Other programs kept part of this machine's ${cores} cores busy while the lab measured (cores' worth: ${disturbed.join(', ')}). ` +
    'Those runs had fewer free cores, so their times and the speedups are worse than on an idle machine; close the other programs and run the lab again to see what the function itself does.'
  );
}
