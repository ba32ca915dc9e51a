// The runs of the scaling lab, in order: sequential first (it checks the function and the
// inputs, and leaves the results the others are compared with), then threads, then process
// pools of 1 … max workers, then twice as many to show what oversubscribing does. No pool
// is bigger than the platform lets a Pool be (poolWorkerLimit).

import type { ScalingModeName } from '../../../shared/scaling';

export interface ScalingStep {
  mode: ScalingModeName;
  workers: number;
}

/**
 * The most workers a `multiprocessing.Pool` can have here, or null for no limit. On Windows
 * the pool waits for its workers with one WaitForMultipleObjects call, which takes at most 63
 * handles, two of them the pool's own: a Pool of more than 61 workers hangs (for the same
 * reason ProcessPoolExecutor refuses more than 61 there).
 */
export function poolWorkerLimit(platform: NodeJS.Platform): number | null {
  return platform === 'win32' ? 61 : null;
}

/** The largest pool before the oversubscribed one: `maxWorkers`, or the platform's limit. */
export function largestPool(maxWorkers: number, platform: NodeJS.Platform): number {
  return Math.min(maxWorkers, poolWorkerLimit(platform) ?? Infinity);
}

export function planSteps(maxWorkers: number, platform: NodeJS.Platform = process.platform): ScalingStep[] {
  const steps: ScalingStep[] = [
    { mode: 'sequential', workers: 1 },
    // Threads have no such limit: the pool waits on no process handles.
    { mode: 'threads', workers: maxWorkers },
  ];
  const largest = largestPool(maxWorkers, platform);
  for (let workers = 1; workers <= largest; workers++) steps.push({ mode: 'processes', workers });
  // Oversubscribed: twice the largest asked for, or as many as the platform allows when that is still more.
  const oversubscribed = Math.min(2 * maxWorkers, poolWorkerLimit(platform) ?? Infinity);
  if (oversubscribed > largest) steps.push({ mode: 'processes', workers: oversubscribed });
  return steps;
}

/** What the platform's limit took out of the plan, for the learner; null when it took nothing. */
export function poolLimitSentence(maxWorkers: number, platform: NodeJS.Platform): string | null {
  const limit = poolWorkerLimit(platform);
  if (limit === null || 2 * maxWorkers <= limit) return null;
  const why = `A process pool on Windows can have at most ${limit} workers (a bigger one hangs: Windows waits for at most 63 processes at once, and the pool uses two of them)`;
  if (maxWorkers > limit) return `${why}, so the largest pool here had ${limit} workers instead of ${maxWorkers}, and none was oversubscribed.`;
  if (maxWorkers === limit) return `${why}, so no pool was bigger than ${limit} workers, and none was oversubscribed.`;
  return `${why}, so the oversubscribed pool had ${limit} workers instead of ${2 * maxWorkers}.`;
}

/** "2 processes", "1 process", "2 threads", "no pool" (the sequential run), for sentences and tables. */
export function stepLabel(step: ScalingStep): string {
  if (step.mode === 'sequential') return 'no pool';
  const noun = step.mode === 'threads' ? 'thread' : 'process';
  return `${step.workers} ${noun}${step.workers === 1 ? '' : noun === 'process' ? 'es' : 's'}`;
}
