// Which futex words of a Python process are its GIL's, inferred from where its threads sleep,
// and what a thread's time between two reads was: ran, waited for a core, waited for the GIL,
// or waited for something else. Pure: the stove reader (stoveSampler.ts) feeds it what it
// reads from /proc.
//
// How the GIL is found (checked on CPython 3.8, 3.11, 3.12 and 3.13 with glibc 2.36, by
// reading /proc/PID/task/TID/syscall of threads in every kind of wait; the test
// test/engine/stoveSampler.test.ts runs the cases again):
// - A thread that wants the GIL sleeps in pthread_cond_timedwait on the GIL's condition
//   variable (`cond` in CPython's struct _gil_runtime_state: in _PyRuntime up to 3.11, in the
//   interpreter state from 3.12; the code that waits is the same). glibc's condition variable
//   (2.25 and later) puts its sleepers on one of TWO futex words, 4 bytes apart at its end
//   (__g_signals[2]), and swaps them with each signal: the GIL's waiters are seen on both
//   words of one 8-byte-aligned pair, by two or more threads.
// - Right after the condition variable lies the GIL's mutex (`mutex`): a thread that sleeps on
//   its word (the pair's address + 8) is also taking the GIL.
// - The thread that drops the GIL on request waits on `switch_cond` until another takes it: a
//   condition variable too, found by the same rule when two or more threads take turns in it.
// - What does not look like that: a threading.Lock (a POSIX semaphore up to 3.12, the
//   semaphore of a parking-lot entry in 3.13) is one futex word, whoever waits on it and
//   with or without a timeout; Thread.join, Queue.get and Event.wait wait on such a lock (the
//   thread's own, or one per waiter); time.sleep is clock_nanosleep and a socket read poll or
//   read, not futex.
// Where it can be wrong: see the README's "How the GIL wait is read" (the words are in the
// report of the change that added this file).

import type { ThreadState } from '../../../../shared/runRecord';

/** A futex word seen waited on by this many different threads, on both words of the pair, is a condition variable the GIL's threads share. */
const MIN_WAITERS = 2;
/** The words a process's threads were seen waiting on, kept until one proves to be the GIL's; beyond this many the unproven are forgotten. */
const MAX_CANDIDATES = 256;
const LOW_WORD = 1;
const HIGH_WORD = 2;

interface Candidate {
  /** LOW_WORD | HIGH_WORD: which of the pair's words someone waited on. */
  words: number;
  waiters: Set<number>;
}

/** The GIL's futex words in one process, learnt from the futex waits of its threads. */
export class GilWords {
  /** By the pair's address (the 8-byte-aligned lower word). */
  private readonly candidates = new Map<number, Candidate>();
  /** Pairs proven to be condition variables of the GIL (its `cond`, and `switch_cond`). */
  private readonly pairs = new Set<number>();

  /** True once a pair has been proven: the process's threads have fought over its GIL. */
  get found(): boolean {
    return this.pairs.size > 0;
  }

  /** Notes that thread `tid` was seen asleep in futex() waiting on the word at `address`. */
  observe(tid: number, address: number): void {
    const pair = pairOf(address);
    if (this.pairs.has(pair) || !Number.isFinite(address)) {
      return;
    }
    let candidate = this.candidates.get(pair);
    if (candidate === undefined) {
      if (this.candidates.size >= MAX_CANDIDATES) {
        this.candidates.clear();
      }
      candidate = { words: 0, waiters: new Set() };
      this.candidates.set(pair, candidate);
    }
    candidate.words |= address === pair ? LOW_WORD : HIGH_WORD;
    candidate.waiters.add(tid);
    if (candidate.words === (LOW_WORD | HIGH_WORD) && candidate.waiters.size >= MIN_WAITERS) {
      this.pairs.add(pair);
      this.candidates.delete(pair);
    }
  }

  /** True when a thread asleep on this word is waiting for the GIL. */
  isGilWord(address: number): boolean {
    if (!Number.isFinite(address)) {
      return false;
    }
    const pair = pairOf(address);
    // The pair's own two words, or the mutex word just after a condition variable.
    return this.pairs.has(pair) || (address === pair && this.pairs.has(pair - 8));
  }
}

/** The 8-byte-aligned address of the pair a futex word belongs to (addresses pass 2^32: no bit operators). */
function pairOf(address: number): number {
  return address - (address % 8);
}

/** One thread's time between two reads, split by what it did. */
export interface ThreadTimeSplit {
  intervalNs: number;
  /** On a core. */
  ranNs: number;
  /** Ready to run, waiting for a free core (its schedstat's run delay). */
  coreWaitNs: number;
  /** Asleep on the GIL's words. */
  gilWaitNs: number;
  /** Asleep for anything else: a lock, I/O, a sleep, a child. */
  waitingNs: number;
}

/**
 * Splits an interval: what ran and what waited for a core come from the scheduler's counters;
 * the rest the thread was asleep, all of it waiting for the GIL or all for something else, by
 * what it was seen asleep in (the reader says which: see stoveSampler.ts). The counters and
 * the clock around the reads may disagree by a hair: nothing goes below zero, and the two
 * counters are cut to the interval.
 */
export function splitInterval(intervalNs: number, ranNs: number, coreWaitNs: number, asleepOnGil: boolean): ThreadTimeSplit {
  const interval = Math.max(0, intervalNs);
  const ran = Math.min(interval, Math.max(0, ranNs));
  const coreWait = Math.min(interval - ran, Math.max(0, coreWaitNs));
  const asleep = interval - ran - coreWait;
  return {
    intervalNs: interval,
    ranNs: ran,
    coreWaitNs: coreWait,
    gilWaitNs: asleepOnGil ? asleep : 0,
    waitingNs: asleepOnGil ? 0 : asleep,
  };
}

/** The record's state for an interval: what took most of it (ties go to the first named). Called per thread per tick: no allocation. */
export function dominantState(split: ThreadTimeSplit): ThreadState {
  const most = Math.max(split.ranNs, split.gilWaitNs, split.coreWaitNs, split.waitingNs);
  if (most <= 0) return 'unknown';
  if (split.ranNs === most) return 'running';
  if (split.gilWaitNs === most) return 'waiting-for-gil';
  return split.coreWaitNs === most ? 'waiting-for-core' : 'waiting';
}
