// What a thread was doing between two samples, from what the platform measured of that
// interval. One function from the interval's facts to a state: the sampler is given one, so
// that a finer reading (the GIL wait, later) is a classifier of its own, plugged in where the
// sampler is made, with no change to how the facts are gathered.

import type { ThreadState } from '../../../shared/runRecord';

/** What the kernel says of one thread over one interval (Linux: its schedstat, read twice). */
export interface ThreadInterval {
  /** The interval, on the wall clock. */
  intervalNs: number;
  /** Time it ran on a core. */
  ranNs: number;
  /** Time it was ready to run but waited for a free core (schedstat's run delay). */
  runDelayNs: number;
}

export type ThreadStateClassifier = (interval: ThreadInterval) => ThreadState;

/**
 * The state that took the largest part of the interval: on a core, waiting for one, or
 * neither, which is blocked in the kernel (a lock, I/O, a sleep: the rest of the interval).
 */
export const classifyBySchedstat: ThreadStateClassifier = ({ intervalNs, ranNs, runDelayNs }) => {
  const blockedNs = intervalNs - ranNs - runDelayNs;
  if (ranNs >= runDelayNs && ranNs >= blockedNs) return 'running';
  return runDelayNs >= blockedNs ? 'waiting-for-core' : 'waiting';
};
