// How often the lab runs each step of its plan. Rounds, not blocks: every step runs once, then
// every step again, and so on, so that a minute of load from another program falls on all the
// modes alike instead of on whichever mode happened to be measuring.
//
// MIN_RUNS rounds of every step first (the sequential step first in each round: its first run
// leaves the results the others are compared with). Then only the steps whose spread is not
// yet small (src/shared/runSpread.ts) run again, up to MAX_RUNS, and only while the extra runs together
// have taken less time than the first rounds did: the lab takes at most about twice as long
// as MIN_RUNS rounds of its plan would.

import { performance } from 'node:perf_hooks';
import type { FinishedStep, MeasuredStep } from './measuredSteps';
import type { ScalingStep } from './plan';
import { hasEnoughRuns, MIN_RUNS } from '../../../shared/runSpread';

/** One run of one step; `runNumber` counts that step's runs from 1. */
export type RunOnce = (step: ScalingStep, index: number, runNumber: number) => Promise<FinishedStep>;

export async function measureSteps(steps: readonly ScalingStep[], runOnce: RunOnce, now: () => number = () => performance.now()): Promise<MeasuredStep[]> {
  const measured = steps.map((step) => ({ step, runs: [] as FinishedStep[], costsMs: [] as number[] }));
  const take = async (index: number): Promise<number> => {
    const entry = measured[index];
    const began = now();
    entry.runs.push(await runOnce(entry.step, index, entry.runs.length + 1));
    const costMs = now() - began;
    entry.costsMs.push(costMs);
    return costMs;
  };

  let firstRoundsMs = 0;
  for (let round = 0; round < MIN_RUNS; round++) {
    for (const index of measured.keys()) firstRoundsMs += await take(index);
  }
  let extraMs = 0;
  for (let ranOne = true; ranOne; ) {
    ranOne = false;
    for (const [index, { runs, costsMs }] of measured.entries()) {
      // Runs again only if a run of it, at its mean cost so far, still fits the budget.
      if (hasEnoughRuns(runs.map(({ report }) => report.wallMs)) || extraMs + mean(costsMs) > firstRoundsMs) continue;
      extraMs += await take(index);
      ranOne = true;
    }
  }
  return measured.map(({ step, runs }) => ({ step, runs }));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
