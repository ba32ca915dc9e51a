// Amdahl's law fitted to the process-pool runs: T(n) = T1 · (s + (1 − s) / n).
//
// Written as T(n) = a + b / n with a = T1·s and b = T1·(1 − s), the law is a straight line in
// 1/n, so ordinary least squares gives a and b, and s = a / (a + b). T1 is fitted rather than
// taken from the 1-worker run, so that one noisy run does not decide the whole curve.

import type { AmdahlFit } from '../../../shared/scaling';

export interface TimedRun {
  workers: number;
  wallMs: number;
}

/**
 * Below this the runs cannot tell the serial fraction from zero; 1 / s is reported against
 * it rather than as an infinite speedup (which JSON cannot hold either).
 */
const SMALLEST_SERIAL_FRACTION = 0.001;

/**
 * `cores` caps n: with more workers than cores, only `cores` of them run at once, so the
 * law's n is the parallelism the machine could give, not the pool's size.
 * Null when the runs do not span two different n.
 */
export function fitAmdahl(runs: readonly TimedRun[], cores: number): AmdahlFit | null {
  const points = runs.map((run) => ({ x: 1 / Math.min(run.workers, cores), y: run.wallMs }));
  const count = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / count;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / count;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (count < 2 || sxx === 0) return null;
  const b = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0) / sxx;
  const a = meanY - b * meanX;

  const t1 = a + b;
  // A negative parallel part (more workers, more time) means nothing ran in parallel: s = 1.
  const serialFraction = t1 <= 0 || b <= 0 ? 1 : clamp(a / t1, 0, 1);
  const residual = points.reduce((sum, p) => sum + (p.y - (a + b * p.x)) ** 2, 0);
  const total = points.reduce((sum, p) => sum + (p.y - meanY) ** 2, 0);
  return {
    serialFraction,
    maxSpeedup: 1 / Math.max(serialFraction, SMALLEST_SERIAL_FRACTION),
    r2: total === 0 ? 1 : 1 - residual / total,
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
