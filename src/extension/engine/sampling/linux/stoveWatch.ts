// Which processes the stove reader (stoveSampler.ts) reads fast, decided at each tick of the
// 100 ms sampler: a process while two or more of its threads want to run, that is, spent a
// notable part of the tick on a core or waiting for one. Only then can threads fight over a
// GIL, and only then is the cost of reading every few ms spent (a single-threaded process,
// or threads that mostly sleep, are never read fast).
//
// The two rates meet at a tick, so that a thread's samples neither overlap nor leave a gap:
// - a process that starts to be read fast keeps the tick's own samples of its threads (they
//   end at this tick), and the reader's first read, right then, is where its samples begin;
// - while it is read fast, the tick's readings of its threads only say which threads there
//   are (ObservedProcess.threadsReadFast): their samples come from the reader;
// - when it stops, the reader reads it a last time, right then, and the next tick's samples
//   begin where those end.
//
// Bounded: a process is read fast for at most `readsPerProcess` reads (a minute at 5 ms),
// then sampled every tick again for the rest of its life. What was learnt of a process's GIL
// is kept while it lives, so that reading it fast again does not start from nothing.

import type { ObservedProcess, ObservedThread } from '../processReading';
import { GilWords } from './gilWaits';
import { DEFAULT_STOVE_INTERVAL_MS, StoveSampler, type StoveReading } from './stoveSampler';
import type { RunClock } from '../../run/runClock';

/**
 * A thread that ran or waited for a core this share of a tick wants to run. Threads that
 * fight over one GIL each get about 1/N of a core: above this up to some 50 of them. A thread
 * that sleeps and wakes for a moment (a time.sleep(0.01) loop spends about 0.5 %) stays below.
 */
const WANTS_TO_RUN_SHARE = 0.02;

export interface StoveWatchOptions {
  clock: RunClock;
  /** ms between two ticks of the sampler that calls afterTick. */
  tickIntervalMs: number;
  /** The most reads of one process (each gives each of its threads one sample at most). */
  readsPerProcess: number;
  /** Each reading of a process read fast. */
  onReading: (reading: StoveReading) => void;
}

interface WatchedProcess {
  /** Its pid + start-time key: a reused pid is another process. */
  key: string;
  reads: number;
}

export class StoveWatch {
  readonly intervalMs = DEFAULT_STOVE_INTERVAL_MS;
  private readonly stove: StoveSampler;
  private readonly watched = new Map<number, WatchedProcess>();
  /** By process key, while the process lives. */
  private readonly gils = new Map<string, GilWords>();
  /** Processes that have had all their fast reads, by key, while they live. */
  private readonly spent = new Set<string>();
  /** Reads between two ticks; the timers may stretch a tick, so twice that is kept in hand. */
  private readonly readsPerTick: number;

  constructor(private readonly options: StoveWatchOptions) {
    this.stove = new StoveSampler({ clock: options.clock, intervalMs: this.intervalMs, onReading: (reading) => this.counted(reading) });
    this.readsPerTick = Math.ceil(options.tickIntervalMs / this.intervalMs);
    this.stove.start();
  }

  /** After a tick has read the processes, before the record takes them: starts and stops fast reads, and marks the processes read fast. */
  afterTick(processes: ObservedProcess[]): void {
    const alive = new Set<string>();
    for (const process of processes) {
      alive.add(process.key);
      const watched = this.watched.get(process.pid);
      if (watched !== undefined && watched.key !== process.key) {
        this.stopFastReads(process.pid); // its pid was reused: the process read fast ended, and this read finds it gone
      } else if (watched !== undefined) {
        process.threadsReadFast = true;
        if (watched.reads + 2 * this.readsPerTick > this.options.readsPerProcess) this.spent.add(process.key);
        if (!this.wantsFastReads(process)) this.stopFastReads(process.pid);
        continue;
      }
      if (this.wantsFastReads(process)) {
        this.watched.set(process.pid, { key: process.key, reads: 0 });
        let gil = this.gils.get(process.key);
        if (gil === undefined) {
          gil = new GilWords();
          this.gils.set(process.key, gil);
        }
        this.stove.watch(process.pid, gil);
      }
    }
    for (const key of this.gils.keys()) if (!alive.has(key)) this.gils.delete(key);
    for (const key of this.spent) if (!alive.has(key)) this.spent.delete(key);
  }

  stop(): void {
    this.stove.stop();
    this.watched.clear();
  }

  /** The last read (up to now), then no more. */
  private stopFastReads(pid: number): void {
    this.stove.unwatch(pid);
    this.watched.delete(pid);
  }

  private wantsFastReads(process: ObservedProcess): boolean {
    if (this.spent.has(process.key)) return false;
    let wanting = 0;
    for (const thread of process.threads ?? []) {
      if (wantsToRun(thread) && ++wanting >= 2) return true;
    }
    return false;
  }

  private counted(reading: StoveReading): void {
    const watched = this.watched.get(reading.pid);
    if (watched !== undefined) watched.reads++;
    if (!this.stove.watching(reading.pid)) this.watched.delete(reading.pid);
    this.options.onReading(reading);
  }
}

function wantsToRun(thread: ObservedThread): boolean {
  const wantedMs = thread.ranMs + thread.coreWaitMs;
  const intervalMs = wantedMs + thread.waitingMs;
  return intervalMs > 0 && wantedMs >= WANTS_TO_RUN_SHARE * intervalMs;
}
