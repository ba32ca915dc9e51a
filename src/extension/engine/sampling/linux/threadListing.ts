// A process's threads as /proc lists them, and the per-thread files a reader keeps open
// across ticks: kept for threads still listed, opened for new ones, closed for the rest.

import * as fs from 'node:fs';

/** The native ids in /proc/PID/task, in the order the threads began; [] once the process is gone. */
export function listThreadIds(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/** `current` brought up to `tids`: the still-listed kept, the gone closed, new ones opened (skipped when `open` gives null). */
export function reconcileThreads<T extends { tid: number; close(): void }>(current: readonly T[], tids: readonly number[], open: (tid: number) => T | null): T[] {
  const kept: T[] = [];
  for (const thread of current) {
    if (tids.includes(thread.tid)) {
      kept.push(thread);
    } else {
      thread.close();
    }
  }
  for (const tid of tids) {
    if (!kept.some((thread) => thread.tid === tid)) {
      const opened = open(tid);
      if (opened !== null) kept.push(opened);
    }
  }
  return kept;
}
