// The warning for each lock, Event or Barrier the tracer switched to counts because of its
// rate (runtimes/python/parallel_lab_tracer/locks/aggregation.py): the summary's figures
// still count every cycle or wait, but the timeline no longer shows them one by one. Each is
// called as the learner's code names it, and an Event or a Barrier is not called a lock.

import { lockLabels, signalOf, UNKNOWN_LOCK } from '../../../shared/learnerNames';
import type { LockInfo } from '../../../shared/runRecord';

/** One sentence per aggregated lock; `locks` are all the record's locks (labels are told apart among them). */
export function aggregationWarnings(locks: readonly LockInfo[], aggregated: readonly LockInfo[]): string[] {
  if (aggregated.length === 0) return [];
  const labels = lockLabels(locks);
  return aggregated.map((lock) => {
    const label = labels.get(lock.id) ?? UNKNOWN_LOCK;
    switch (signalOf(lock)) {
      case 'event': return signalSentence(`for the event ${label}`);
      case 'barrier': return signalSentence(`at the barrier ${label}`);
      case 'notify': return signalSentence(`for notify of ${label}`);
      case null:
        return `The lock ${label} was used so often that Parallel Lab switched it to counts and histograms to keep your program fast; its individual waits are not in the timeline.`;
    }
  });
}

function signalSentence(waits: string): string {
  return `The waits ${waits} came so often that Parallel Lab counted them instead of recording each one, to keep your program fast: the summary counts them all, but the timeline does not show them one by one.`;
}
