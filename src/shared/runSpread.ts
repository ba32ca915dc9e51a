// How the scaling lab reads repeated runs of one mode: their centre (the median), their spread,
// whether the spread is small enough to stop repeating, and when two modes differ at all.
//
// The spread is the range of the runs: with 3 to 5 runs, the fastest to the slowest; from 6
// runs, the second fastest to the second slowest, so that one disturbed run on either side no
// longer widens it. Read as an interval for the median, such a range holds the median of
// runs like these at least 75 % of the time (3 runs: 75 %, 5: 94 %, 6: 78 %, 7: 88 %,
// binomial order statistics), with no assumption about how the times are distributed, and
// the learner can check it against the runs themselves. A mean ± standard deviations would
// need a distribution the times of a busy machine do not follow, and from 3 runs a wide
// t-factor no learner could check.

import type { RunDifference, TimeRange } from './scaling';

/** Every mode runs at least this often; more only while its spread is not yet small. */
export const MIN_RUNS = 3;
export const MAX_RUNS = 7;
/** A spread of at most this share of the median is small: further runs would change little. */
export const SMALL_SPREAD = 0.1;
/**
 * A spread narrower than this is small whatever the median: a map that short is timed to within
 * the clock's and the caches' noise, which more runs would not narrow.
 */
export const SMALL_SPREAD_MS = 1;
/**
 * Medians closer than this ratio are no difference worth a sentence, even when the spreads are
 * apart: the same work on the same core drifts by that much from one minute to the next on a
 * busy machine, and "1.0× faster" says nothing.
 */
export const MEANINGFUL_RATIO = 1.1;
/** From this many runs the spread leaves out the fastest and the slowest run. */
export const TRIMMED_FROM = 6;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spreadOf(runsMs: readonly number[]): TimeRange {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const skip = sorted.length >= TRIMMED_FROM ? 1 : 0;
  return { low: sorted[skip], high: sorted[sorted.length - 1 - skip] };
}

/** The run whose time is nearest the median (the earlier one of a tie): the run whose record stands for its mode. */
export function medianRunIndex(runsMs: readonly number[]): number {
  const centre = median(runsMs);
  let best = 0;
  for (let index = 1; index < runsMs.length; index++) {
    if (Math.abs(runsMs[index] - centre) < Math.abs(runsMs[best] - centre)) best = index;
  }
  return best;
}

/** Enough runs, and close enough together (SMALL_SPREAD, SMALL_SPREAD_MS), to stop repeating this mode. */
export function hasEnoughRuns(runsMs: readonly number[]): boolean {
  if (runsMs.length >= MAX_RUNS) return true;
  if (runsMs.length < MIN_RUNS) return false;
  const { low, high } = spreadOf(runsMs);
  return high - low <= Math.max(SMALL_SPREAD * median(runsMs), SMALL_SPREAD_MS);
}

export interface RunComparison {
  /** `runsMs` against the baseline: 'faster' when they took less time. */
  difference: RunDifference;
  /**
   * apart: the spreads do not overlap and the medians differ by MEANINGFUL_RATIO or more;
   * overlap: the spreads overlap; close: apart, but the medians within MEANINGFUL_RATIO;
   * too-few: fewer than 2 runs on a side, so its spread is unknown.
   */
  why: 'apart' | 'overlap' | 'close' | 'too-few';
}

/**
 * The rule every verdict follows: two modes differ only when their spreads do not overlap
 * and their medians are MEANINGFUL_RATIO apart; anything less is no measurable difference.
 */
export function compareRuns(runsMs: readonly number[], baselineMs: readonly number[]): RunComparison {
  if (runsMs.length < 2 || baselineMs.length < 2) return { difference: 'none', why: 'too-few' };
  const runs = spreadOf(runsMs);
  const baseline = spreadOf(baselineMs);
  const quicker = runs.high < baseline.low;
  const slower = runs.low > baseline.high;
  if (!quicker && !slower) return { difference: 'none', why: 'overlap' };
  const ratio = median(baselineMs) / median(runsMs);
  if (Math.max(ratio, 1 / ratio) < MEANINGFUL_RATIO) return { difference: 'none', why: 'close' };
  return { difference: quicker ? 'faster' : 'slower', why: 'apart' };
}
