// A thread's time, added up from its samples' figures (ThreadSample's ranMs, coreWaitMs,
// gilWaitMs, waitingMs in runRecord.ts): exact sums of what the sampler measured, not counts
// of samples by state; each sample with the interval it covers; and the stove of a process in
// words. Pure, for the command line's summary and the panel alike.

import type { ProcessEntry, ThreadEntry, ThreadSample } from './runRecord';
import { stoveFighters, stoveSentence, type StoveThreadShares } from './stoveWords';

/** One sample with the interval it covers: since the thread's previous sample, or since it began. */
export interface SampleSpan {
  fromMs: number;
  toMs: number;
  sample: ThreadSample;
}

/** The thread's samples with their intervals, in order; a sample read before the thread began covers nothing and is left out. */
export function sampleSpans(thread: ThreadEntry): SampleSpan[] {
  const spans: SampleSpan[] = [];
  let from = thread.startMs;
  for (const sample of thread.samples) {
    if (sample.t <= from) continue;
    spans.push({ fromMs: from, toMs: sample.t, sample });
    from = sample.t;
  }
  return spans;
}

/** The share of its life a thread ran on a core, from its CPU time; null when that is not known. */
export function lifeOnACore(thread: ThreadEntry, durationMs: number): number | null {
  const lifeMs = (thread.endMs ?? durationMs) - thread.startMs;
  return thread.cpuMs === null || lifeMs <= 0 ? null : Math.min(1, thread.cpuMs / lifeMs);
}

/** A thread's time over some samples, in ms. */
export interface ThreadTimeTotals {
  ranMs: number;
  coreWaitMs: number;
  /** Told apart only in fast samples: in the others it is part of waitingMs. */
  gilWaitMs: number;
  waitingMs: number;
  /** The four together: the time the samples cover. */
  totalMs: number;
}

/** Whether the fast reader took this sample: only it tells a wait for the GIL from other waits. */
export function isFastSample(sample: ThreadSample): boolean {
  return sample.gilWaitMs !== undefined;
}

/** The samples' figures added up; a sample without them (macOS, Windows, an older record) adds nothing. */
export function timeTotals(samples: Iterable<ThreadSample>): ThreadTimeTotals {
  const totals: ThreadTimeTotals = { ranMs: 0, coreWaitMs: 0, gilWaitMs: 0, waitingMs: 0, totalMs: 0 };
  for (const sample of samples) {
    totals.ranMs += sample.ranMs ?? 0;
    totals.coreWaitMs += sample.coreWaitMs ?? 0;
    totals.gilWaitMs += sample.gilWaitMs ?? 0;
    totals.waitingMs += sample.waitingMs ?? 0;
  }
  totals.totalMs = totals.ranMs + totals.coreWaitMs + totals.gilWaitMs + totals.waitingMs;
  return totals;
}

/**
 * How the threads of a process shared its GIL: each thread it had while it was read fast,
 * with its shares of the time it was read fast (stoveWords.ts puts them in words). Empty when
 * the process was never read fast.
 */
export function stoveShares(process: ProcessEntry): StoveThreadShares[] {
  const shares: StoveThreadShares[] = [];
  for (const thread of process.threads ?? []) {
    const totals = timeTotals(thread.samples.filter(isFastSample));
    if (totals.totalMs <= 0) continue;
    shares.push({
      name: thread.name,
      ran: totals.ranMs / totals.totalMs,
      gilWait: totals.gilWaitMs / totals.totalMs,
      coreWait: totals.coreWaitMs / totals.totalMs,
      waiting: totals.waitingMs / totals.totalMs,
    });
  }
  return shares;
}

/** The stove of a process in words (stoveWords.ts), from the time it was read fast; '' when it never was. */
export function processStoveSentence(process: ProcessEntry, gilEnabled: boolean): string {
  return stoveSentence(stoveShares(process), gilEnabled);
}

/** True when two or more of the process's threads fought over its GIL: they shared one stove. */
export function sharedOneStove(process: ProcessEntry, gilEnabled: boolean): boolean {
  return gilEnabled && stoveFighters(stoveShares(process)).length >= 2;
}
