// A thread's time as its samples tell it (ran, waited for the GIL, for a core, or slept), and
// the stove of a process in plain words: which of its threads' shares make the sentence of
// stoveWords.ts, and when that sentence is worth saying. Pure, for the panel and the summary.

import type { ProcessEntry, ThreadEntry, ThreadSample, ThreadState } from './runRecord';
import { stoveSentence, type StoveThreadShares } from './stoveWords';

/** A thread's watched time split by what it did, in ms. */
export interface ThreadTimes {
  /** The time its samples cover, `unknown` ones left out. */
  watchedMs: number;
  ranMs: number;
  gilWaitMs: number;
  coreWaitMs: number;
  /** Asleep for anything else: a lock, I/O, a sleep. */
  waitingMs: number;
}

/** One sample with the interval it covers: since the thread's previous sample, or since it began. */
export interface SampleSpan {
  fromMs: number;
  toMs: number;
  sample: ThreadSample;
}

/** A thread that ran, or was ready to run, at least this share of its time wanted to run. */
const WANTED_TO_RUN = 0.1;

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

/**
 * What the samples say the thread did. A sample gives its CPU and the state that took most of
 * its interval: the CPU is the time it ran, and the rest of the interval is put down to that
 * state (to sleeping when the state is `running`: the kernel does not say more).
 */
export function threadTimes(thread: ThreadEntry): ThreadTimes {
  const times: ThreadTimes = { watchedMs: 0, ranMs: 0, gilWaitMs: 0, coreWaitMs: 0, waitingMs: 0 };
  for (const { fromMs, toMs, sample } of sampleSpans(thread)) {
    if (sample.state === 'unknown') continue;
    const interval = toMs - fromMs;
    const ran = Math.min(interval, Math.max(0, (sample.cpu / 100) * interval));
    times.watchedMs += interval;
    times.ranMs += ran;
    times[REST_OF_INTERVAL[sample.state]] += interval - ran;
  }
  return times;
}

const REST_OF_INTERVAL: Record<Exclude<ThreadState, 'unknown'>, 'gilWaitMs' | 'coreWaitMs' | 'waitingMs'> = {
  running: 'waitingMs',
  'waiting-for-gil': 'gilWaitMs',
  'waiting-for-core': 'coreWaitMs',
  waiting: 'waitingMs',
};

/** The thread's times as shares of its watched time; null when no sample says. */
export function threadShares(thread: ThreadEntry): StoveThreadShares | null {
  const times = threadTimes(thread);
  if (times.watchedMs <= 0) return null;
  const share = (ms: number): number => ms / times.watchedMs;
  return { name: thread.name, ran: share(times.ranMs), gilWait: share(times.gilWaitMs), coreWait: share(times.coreWaitMs), waiting: share(times.waitingMs) };
}

/** The share of its life a thread ran on a core, from its CPU time; null when that is not known. */
export function lifeOnACore(thread: ThreadEntry, durationMs: number): number | null {
  const lifeMs = (thread.endMs ?? durationMs) - thread.startMs;
  return thread.cpuMs === null || lifeMs <= 0 ? null : Math.min(1, thread.cpuMs / lifeMs);
}

/** True when two or more of the process's threads were seen waiting for its GIL: they shared one stove. */
export function sharedTheStove(process: ProcessEntry): boolean {
  let waiters = 0;
  for (const thread of process.threads ?? []) {
    if (thread.samples.some((sample) => sample.state === 'waiting-for-gil')) waiters++;
  }
  return waiters >= 2;
}

export interface ProcessStove {
  /** The stoveWords sentence for the process's threads. */
  sentence: string;
  /**
   * True when two or more threads wanted to run (ran, or waited for the GIL or a core, a
   * tenth of their time or more): a fight over the GIL, or threads on several cores without
   * one. Threads that mostly slept (a Queue's feeder, a pool's helpers) are not news.
   */
  notable: boolean;
}

/** The stove of a process with two or more sampled threads; null for one that has fewer. */
export function processStove(process: ProcessEntry, gilEnabled: boolean): ProcessStove | null {
  const shares = (process.threads ?? []).map(threadShares).filter((share): share is StoveThreadShares => share !== null);
  if (shares.length < 2) return null;
  const wanting = shares.filter((share) => share.ran + share.gilWait + share.coreWait >= WANTED_TO_RUN).length;
  return { sentence: stoveSentence(shares, gilEnabled), notable: wanting >= 2 };
}
