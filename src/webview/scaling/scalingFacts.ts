// Figures the scaling views derive from a ScalingResult: which run is which, and what the
// Amdahl fit predicts. Kept apart from the DOM so every view reads them the same way.

import type { ScalingMode, ScalingResult } from '../../shared/scaling';

/** The process-pool runs, fewest workers first: the series the charts draw as a line. */
export function processRuns(result: ScalingResult): ScalingMode[] {
  return result.modes.filter((mode) => mode.mode === 'processes').sort((a, b) => a.workers - b.workers);
}

export function sequentialRun(result: ScalingResult): ScalingMode | undefined {
  return result.modes.find((mode) => mode.mode === 'sequential');
}

/**
 * The thread pool's point and range sit this far (drawing units) right of the process pool
 * with as many workers, so that both ranges show.
 */
export const THREADS_DX = 9;

export function threadRun(result: ScalingResult): ScalingMode | undefined {
  return result.modes.find((mode) => mode.mode === 'threads');
}

export function processRunWith(result: ScalingResult, workers: number): ScalingMode | undefined {
  return processRuns(result).find((mode) => mode.workers === workers);
}

/** More workers than cores: they take turns on the cores, so extra workers add overhead, not speed. */
export function isOversubscribed(mode: ScalingMode, cores: number): boolean {
  return mode.mode !== 'sequential' && mode.workers > cores;
}

/** The wall time a run would take if its workers split the sequential time perfectly. */
export function idealWallMs(result: ScalingResult, workers: number): number | null {
  const sequential = result.modes.find((mode) => mode.mode === 'sequential');
  return sequential ? sequential.wallMs / Math.min(workers, result.cores) : null;
}

/**
 * The fit's speedup over the sequential run with n workers. The fit is relative to the
 * one-worker pool (T(n) = T(1) · (s + (1 − s) / n)), whose start-up and pickling make it
 * slower than the sequential run; scaling by that run's speedup puts the curve through the
 * measured points instead of above them.
 */
export function fitSpeedup(result: ScalingResult, workers: number): number | null {
  if (!result.fit) return null;
  const oneWorker = processRunWith(result, 1)?.speedup ?? 1;
  const s = result.fit.serialFraction;
  return oneWorker / (s + (1 - s) / workers);
}

/** The largest worker count any run used: the charts' x range. */
export function maxWorkers(result: ScalingResult): number {
  return Math.max(2, result.cores, ...result.modes.map((mode) => mode.workers));
}

/** [workers, predicted speedup] for each prediction the learner made (2 workers, all cores). */
export function predictionPoints(result: ScalingResult): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  if (result.prediction.twoWorkers !== undefined) points.push([2, result.prediction.twoWorkers]);
  if (result.prediction.allCores !== undefined) points.push([result.cores, result.prediction.allCores]);
  return points;
}
