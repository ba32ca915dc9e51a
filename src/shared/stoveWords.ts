// The stove in plain words: how the threads of one process shared its GIL, said from the
// measured shares only. Pure, for the command line's summary and the panel alike.

import { formatPercent } from './format';

/** One thread's time while it was watched, as shares (0..1) of that time. */
export interface StoveThreadShares {
  name: string;
  ran: number;
  gilWait: number;
  coreWait: number;
  /** Asleep for anything else: a lock, I/O, a sleep. */
  waiting: number;
}

/** A thread that waited for the GIL this much of its time fought over it. */
const FIGHT = 0.1;
/** Shares closer than this read as one figure ("each ran about 25 %"). */
const ALIKE = 0.1;
/** Asleep this much of the time is "most of the time". */
const MOSTLY = 0.5;
/** Waiting for a core below this is not worth a sentence. */
const NOTABLE_CORE_WAIT = 0.1;
/** Together above this many cores' worth, threads ran on several cores at once (not a hair over one by the clocks). */
const SEVERAL_CORES = 1.2;

/** The sentence for one process's threads; '' for fewer than two threads. `gilEnabled`: the record's python.gilEnabled. */
export function stoveSentence(threads: readonly StoveThreadShares[], gilEnabled: boolean): string {
  if (threads.length < 2) return '';
  if (!gilEnabled) return noGilSentence(threads);
  const fighters = stoveFighters(threads);
  if (fighters.length >= 2) return sharedStoveSentence(fighters);
  if (threads.every((thread) => thread.waiting >= MOSTLY)) {
    return `${threads.length} threads slept or waited most of the time (on a lock, I/O or a sleep): they did not fight over the stove.`;
  }
  return `${threads.length} threads did not fight over the stove: they seldom wanted the GIL at the same time.`;
}

/** The threads that fought over the GIL: two or more of them shared one stove. */
export function stoveFighters(threads: readonly StoveThreadShares[]): StoveThreadShares[] {
  return threads.filter((thread) => thread.gilWait >= FIGHT);
}

function noGilSentence(threads: readonly StoveThreadShares[]): string {
  const together = sum(threads.map((thread) => thread.ran));
  if (together > SEVERAL_CORES) {
    return `This Python has no GIL: its ${threads.length} threads ran on several cores at once (${formatPercent(together * 100)} of one core together).`;
  }
  return `This Python has no GIL, so its threads could run on several cores at once; here they used ${formatPercent(together * 100)} of one core together.`;
}

function sharedStoveSentence(fighters: readonly StoveThreadShares[]): string {
  const ran = fighters.map((thread) => thread.ran);
  const gilWait = mean(fighters.map((thread) => thread.gilWait));
  const each = Math.max(...ran) - Math.min(...ran) <= ALIKE;
  const ranPart = each
    ? `each ran about ${formatPercent(mean(ran) * 100)} of the time`
    : `${fighters.map((thread) => `${thread.name} ran ${formatPercent(thread.ran * 100)}`).join(', ')} of the time`;
  let sentence = `${fighters.length} threads shared one stove: ${ranPart}; while one ran, the others waited for the GIL (about ${formatPercent(gilWait * 100)} of the time each).`;
  const coreWait = mean(fighters.map((thread) => thread.coreWait));
  if (coreWait >= NOTABLE_CORE_WAIT) {
    sentence += ` They also waited for a free core about ${formatPercent(coreWait * 100)} of the time.`;
  }
  return sentence;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mean(values: readonly number[]): number {
  return values.length > 0 ? sum(values) / values.length : 0;
}
