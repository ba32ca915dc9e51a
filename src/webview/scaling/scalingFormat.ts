// How the scaling lab's figures read: one speedup format for the table, the charts and the
// sentences, so "1.8×" in the prediction line is the same 1.8× as in the table.

import type { ScalingMode, ScalingModeName } from '../../shared/scaling';
import { formatMsRange } from '../format';

export function formatSpeedup(speedup: number): string {
  return `${speedup.toFixed(1)}×`;
}

export function modeLabel(mode: ScalingModeName): string {
  switch (mode) {
    case 'sequential': return 'Sequential';
    case 'threads': return 'Thread pool';
    case 'processes': return 'Process pool';
  }
}

export function workersText(workers: number): string {
  return `${workers} ${workers === 1 ? 'worker' : 'workers'}`;
}

/** "runs 1.6–2.0× (3 runs)": the speedups the spread of a mode's runs spans. */
export function spreadText(mode: ScalingMode): string {
  const count = mode.runsMs.length;
  return `runs ${mode.speedupRange.low.toFixed(1)}–${formatSpeedup(mode.speedupRange.high)} (${count} ${count === 1 ? 'run' : 'runs'})`;
}

/** "148–160 ms": a mode's spread of wall times. */
export function wallSpreadText(mode: ScalingMode): string {
  return formatMsRange(mode.spreadMs.low, mode.spreadMs.high);
}
