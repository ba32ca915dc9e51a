// The runs of the scaling lab, in order: sequential first (it checks the function and the
// inputs, and leaves the results the others are compared with), then threads, then process
// pools of 1 … max workers, then twice as many to show what oversubscribing does.

import type { ScalingModeName } from '../../../shared/scaling';

export interface ScalingStep {
  mode: ScalingModeName;
  workers: number;
}

export function planSteps(maxWorkers: number): ScalingStep[] {
  const steps: ScalingStep[] = [
    { mode: 'sequential', workers: 1 },
    { mode: 'threads', workers: maxWorkers },
  ];
  for (let workers = 1; workers <= maxWorkers; workers++) steps.push({ mode: 'processes', workers });
  steps.push({ mode: 'processes', workers: 2 * maxWorkers });
  return steps;
}

/** "2 processes", "1 process", "2 threads", "no pool" (the sequential run), for sentences and tables. */
export function stepLabel(step: ScalingStep): string {
  if (step.mode === 'sequential') return 'no pool';
  const noun = step.mode === 'threads' ? 'thread' : 'process';
  return `${step.workers} ${noun}${step.workers === 1 ? '' : noun === 'process' ? 'es' : 's'}`;
}
