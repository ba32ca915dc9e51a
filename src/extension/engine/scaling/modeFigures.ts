// A mode's figures from its runs' wall times and the sequential runs': the median, the spread,
// the speedup and the range of speedups it spans, and how it compares with running alone.

import { compareRuns, median, spreadOf } from '../../../shared/runSpread';
import type { ScalingMode } from '../../../shared/scaling';
import type { ScalingStep } from './plan';

export type ModeFigures = Omit<ScalingMode, 'resultsMatch' | 'chunksize'>;

export function modeFigures(step: ScalingStep, runsMs: readonly number[], sequentialRunsMs: readonly number[]): ModeFigures {
  const wallMs = median(runsMs);
  const spreadMs = spreadOf(runsMs);
  const sequentialMs = median(sequentialRunsMs);
  const speedup = sequentialMs / wallMs;
  return {
    mode: step.mode,
    workers: step.workers,
    runsMs: [...runsMs],
    wallMs,
    spreadMs,
    speedup,
    speedupRange: { low: sequentialMs / spreadMs.high, high: sequentialMs / spreadMs.low },
    againstSequential: step.mode === 'sequential' ? 'none' : compareRuns(runsMs, sequentialRunsMs).difference,
    efficiency: step.mode === 'sequential' ? 1 : speedup / step.workers,
  };
}
