// How the scaling lab's figures read: one speedup format for the table, the charts and the
// sentences, so "1.8×" in the prediction line is the same 1.8× as in the table.

import type { ScalingModeName } from '../../shared/scaling';

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
