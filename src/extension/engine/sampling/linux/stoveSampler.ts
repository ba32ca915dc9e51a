// The stove: how the threads of one Python process shared its GIL, read every few
// milliseconds (Linux). For each thread, each tick reads
// - /proc/PID/task/TID/schedstat: the ns it ran and the ns it waited for a free core, so the
//   interval splits into ran, waited for a core, and asleep (the rest);
// - /proc/PID/task/TID/syscall: what it sleeps in right now (linuxThreadSyscall.ts), from
//   which gilWaits.ts learns the GIL's futex words and tells a sleep on them (waiting for the
//   GIL) from any other; read only when the thread ran since its previous read.
// The thread's stat line is not read: its state letter says R or S, which the syscall file
// says too ("running"), and it is the dearest of the three files (measured warm: 2.9 µs a
// read of schedstat, 3.5 µs of syscall, 4.1 µs of stat).
//
// Why every 5 ms: CPython asks the thread holding the GIL to drop it after the switch interval
// (sys.getswitchinterval(), 5 ms by default), so threads that fight over it take turns about
// that often. Reading at that rate sees about one turn per read: the asleep time of an
// interval is one sleep, mostly, and what the thread sleeps in at the end of the interval (or,
// if it runs again by then, at its start) is what it slept in. Faster reads would see the same
// turns at a higher cost; slower ones would mix several sleeps into one interval.
//
// Files stay open from tick to tick and are read with a pread at offset 0 into one reused
// buffer (linuxProcFiles.ts says why). A tick reads the process's stat line too (one read) to
// notice threads that began; a thread whose read fails has ended, and the next tick lists
// the threads again.

import * as fs from 'node:fs';
import { openIfExists, readFromStart, READ_BUFFER_BYTES } from './linuxProcFiles';
import { emptyProcPidStat, isExitedState, parseProcPidStatInto, parseSchedstatInto, type SchedTimes } from './linuxProcStat';
import { emptyThreadSyscall, futexSyscalls, isFutexWait, parseThreadSyscallInto, type ThreadSyscall } from './linuxThreadSyscall';
import { listThreadIds, reconcileThreads } from './threadListing';
import { dominantState, GilWords, splitInterval, type ThreadTimeSplit } from './gilWaits';
import type { ThreadState } from '../../../../shared/runRecord';
import type { RunClock } from '../../run/runClock';

/** See the header: CPython's default switch interval. */
export const DEFAULT_STOVE_INTERVAL_MS = 5;

/**
 * What a thread was seen asleep in, as a number: the futex word's address (0 or more), or one
 * of these: not asleep (runnable at that read, or never seen asleep), asleep in anything else.
 */
const NOT_ASLEEP = -1;
const ASLEEP_NOT_ON_FUTEX = -2;

class StoveThread {
  readonly times: SchedTimes = { runtimeNs: 0, runDelayNs: 0 };
  readonly syscall: ThreadSyscall = emptyThreadSyscall();
  /** RunClock ms of its last read; null before the first, which only sets the baseline. */
  readAtMs: number | null = null;
  /** What it was asleep in at its last read. */
  asleepAtLastRead = NOT_ASLEEP;
  /** What it was asleep in the last time it was seen asleep, at any read. */
  lastAsleep = NOT_ASLEEP;
  /** Time waited for a core that was counted before the kernel added it to the run delay (see coreWaitNs). */
  coreWaitAheadNs = 0;

  constructor(
    readonly tid: number,
    readonly schedstatFd: number,
    readonly syscallFd: number,
  ) {}

  close(): void {
    fs.closeSync(this.schedstatFd);
    fs.closeSync(this.syscallFd);
  }
}

/** One thread over the interval that ends at a read. */
export interface StoveThreadSample {
  tid: number;
  /** RunClock ms of the read that ends the interval. */
  t: number;
  /** Percent of one core it ran over the interval. */
  cpu: number;
  state: ThreadState;
  split: ThreadTimeSplit;
}

/** The threads of one process at one tick; `ended` once the process is gone. */
export interface StoveReading {
  pid: number;
  threads: StoveThreadSample[];
  /** True once its threads have been seen fighting over its GIL (gilWaits.ts). */
  gilFound: boolean;
  ended: boolean;
}

/** Reads the threads of one process (see the header). */
export class ProcessStove {
  private threads: StoveThread[] = [];
  private needsListing = true;
  private statFd: number | null;
  private readonly stat = emptyProcPidStat();
  private readonly futexNumbers: readonly number[] = futexSyscalls();

  constructor(
    readonly pid: number,
    /** The GIL's futex words, as far as learnt (by this reader, or by an earlier one of the process). */
    readonly gil: GilWords = new GilWords(),
  ) {
    this.statFd = openIfExists(`/proc/${pid}/stat`);
  }

  /** One read of every thread; `ended` when the process is gone (then it has no threads). */
  read(clock: RunClock, buffer: Buffer): StoveReading {
    const reading: StoveReading = { pid: this.pid, threads: [], gilFound: this.gil.found, ended: false };
    const numThreads = this.readNumThreads(buffer);
    if (numThreads === null) {
      reading.ended = true;
      return reading;
    }
    if (this.needsListing || numThreads !== this.threads.length) {
      this.list();
    }
    // One clock reading for all: the threads are read within microseconds of each other,
    // in the same order every tick, so each thread's intervals stay true to a few µs.
    const atMs = clock.nowMs();
    for (const thread of this.threads) {
      const sample = this.readThread(thread, atMs, buffer);
      if (sample !== null) {
        reading.threads.push(sample);
      }
    }
    reading.gilFound = this.gil.found;
    return reading;
  }

  close(): void {
    this.threads.forEach((thread) => thread.close());
    this.threads = [];
    if (this.statFd !== null) {
      fs.closeSync(this.statFd);
      this.statFd = null;
    }
  }

  /** A thread over the interval since its previous read; null on its first read, or when it has ended. */
  private readThread(thread: StoveThread, atMs: number, buffer: Buffer): StoveThreadSample | null {
    const { runtimeNs, runDelayNs } = thread.times;
    let bytes = readFromStart(thread.schedstatFd, buffer);
    if (bytes === null || !parseSchedstatInto(thread.times, buffer, bytes)) {
      this.needsListing = true;
      return null;
    }
    // A thread that has not run since its last read is still inside the same call (a woken
    // thread leaves it only by running), or still queued for a core: what it slept in stands.
    let asleepNow = thread.asleepAtLastRead;
    if (thread.readAtMs === null || thread.times.runtimeNs !== runtimeNs) {
      bytes = readFromStart(thread.syscallFd, buffer);
      asleepNow = bytes !== null && parseThreadSyscallInto(thread.syscall, buffer, bytes) ? this.asleepIn(thread) : ASLEEP_NOT_ON_FUTEX;
    }
    const previousReadAtMs = thread.readAtMs;
    const asleepBefore = thread.asleepAtLastRead;
    thread.readAtMs = atMs;
    thread.asleepAtLastRead = asleepNow;
    if (asleepNow !== NOT_ASLEEP) {
      thread.lastAsleep = asleepNow;
    }
    if (previousReadAtMs === null) {
      return null;
    }
    // What the thread slept in over the interval (see the header): asleep now, it slept in
    // that; running now, in what it slept in at the interval's start, or failing that the
    // last thing it was seen asleep in (it slept and woke between two reads).
    const asleepIn = asleepNow !== NOT_ASLEEP ? asleepNow : asleepBefore !== NOT_ASLEEP ? asleepBefore : thread.lastAsleep;
    const intervalNs = (atMs - previousReadAtMs) * 1e6;
    const ranNs = thread.times.runtimeNs - runtimeNs;
    const coreWaitNs = this.coreWaitNs(thread, intervalNs, ranNs, thread.times.runDelayNs - runDelayNs, asleepBefore === NOT_ASLEEP);
    const split = splitInterval(intervalNs, ranNs, coreWaitNs, asleepIn >= 0 && this.gil.isGilWord(asleepIn));
    const cpu = split.intervalNs > 0 ? (split.ranNs / split.intervalNs) * 100 : 0;
    return { tid: thread.tid, t: atMs, cpu, state: dominantState(split), split };
  }

  /**
   * The time a thread waited for a core over an interval. The kernel adds a wait to the run
   * delay only when the thread gets a core, all at once: at 5 ms reads, a thread queued for a
   * whole interval (or whose core the hypervisor took: that wait the kernel never adds) would
   * seem to have been asleep. So a thread that was runnable at the previous read and has not
   * run since is counted as waiting for a core all that interval (it cannot have gone to
   * sleep without running), and the part counted ahead is taken off the delay the kernel adds
   * when it next gets a core.
   */
  private coreWaitNs(thread: StoveThread, intervalNs: number, ranNs: number, runDelayNs: number, runnableBefore: boolean): number {
    if (ranNs > 0) {
      const waitedNs = Math.max(0, runDelayNs - thread.coreWaitAheadNs);
      thread.coreWaitAheadNs = 0;
      return waitedNs;
    }
    if (!runnableBefore) return runDelayNs;
    const aheadNs = Math.max(0, intervalNs - runDelayNs);
    thread.coreWaitAheadNs += aheadNs;
    return runDelayNs + aheadNs;
  }

  /** What the syscall just read says the thread sleeps in (and teaches the GIL's words). */
  private asleepIn(thread: StoveThread): number {
    const syscall = thread.syscall;
    if (syscall.running) {
      return NOT_ASLEEP;
    }
    if (!this.futexNumbers.includes(syscall.nr) || !isFutexWait(syscall.arg1) || !(syscall.arg0 >= 0)) {
      return ASLEEP_NOT_ON_FUTEX;
    }
    this.gil.observe(thread.tid, syscall.arg0);
    return syscall.arg0;
  }

  /** The process's thread count from its stat line; null once it has ended. */
  private readNumThreads(buffer: Buffer): number | null {
    const bytes = this.statFd === null ? null : readFromStart(this.statFd, buffer);
    if (bytes === null || !parseProcPidStatInto(this.stat, buffer, bytes) || isExitedState(this.stat.state)) {
      return null;
    }
    return this.stat.numThreads;
  }

  /** Keeps the files of threads still listed, opens those of new ones, closes the rest. */
  private list(): void {
    this.needsListing = false;
    this.threads = reconcileThreads(this.threads, listThreadIds(this.pid), (tid) => this.openThread(tid));
  }

  private openThread(tid: number): StoveThread | null {
    const schedstatFd = openIfExists(`/proc/${this.pid}/task/${tid}/schedstat`);
    if (schedstatFd === null) {
      return null;
    }
    const syscallFd = openIfExists(`/proc/${this.pid}/task/${tid}/syscall`);
    if (syscallFd === null) {
      fs.closeSync(schedstatFd);
      return null;
    }
    return new StoveThread(tid, schedstatFd, syscallFd);
  }
}

export interface StoveSamplerOptions {
  clock: RunClock;
  /** Default DEFAULT_STOVE_INTERVAL_MS. */
  intervalMs?: number;
  /** Each process's reading, at every read; the last one of a process that ended says so. */
  onReading: (reading: StoveReading) => void;
}

/**
 * Reads the stove of the processes it watches, every few ms (see the header). Once started,
 * its timer runs only while it watches a process: a run whose threads never fight costs no
 * wake-up.
 */
export class StoveSampler {
  private readonly stoves = new Map<number, ProcessStove>();
  private readonly buffer = Buffer.alloc(READ_BUFFER_BYTES);
  private started = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: StoveSamplerOptions) {}

  /**
   * Starts reading a process's threads, with a first read now, which sets each thread's
   * baseline: from the next read on, each reading says how every thread spent the time since
   * its previous read. `gil`: what an earlier reader of this very process learnt of its GIL.
   */
  watch(pid: number, gil?: GilWords): void {
    if (this.stoves.has(pid)) return;
    const stove = new ProcessStove(pid, gil);
    this.stoves.set(pid, stove);
    this.read(stove);
    this.runTimerWhileWatching();
  }

  /** Stops reading a process's threads, after a last read: its threads' samples reach this moment. */
  unwatch(pid: number): void {
    const stove = this.stoves.get(pid);
    if (stove === undefined) return;
    this.read(stove);
    this.forget(stove);
  }

  watching(pid: number): boolean {
    return this.stoves.has(pid);
  }

  /** Reads every watched process every interval from now on (while there is one). */
  start(): void {
    this.started = true;
    this.runTimerWhileWatching();
  }

  /** Stops the reads, and forgets every process (no last read: the run is over). */
  stop(): void {
    this.started = false;
    [...this.stoves.values()].forEach((stove) => this.forget(stove));
  }

  /** One read of every watched process; a process that ended, or whose files fail to read, is read no more. */
  tick(): void {
    for (const stove of [...this.stoves.values()]) this.read(stove);
  }

  /** As the sampler's timer does (sampler.ts): no error escapes a timer, and a failed tick leaves a gap in the samples. */
  private tickFromTimer(): void {
    try {
      this.tick();
    } catch {
      // the next tick may work
    }
  }

  private read(stove: ProcessStove): void {
    let reading: StoveReading;
    try {
      reading = stove.read(this.options.clock, this.buffer);
    } catch {
      reading = { pid: stove.pid, threads: [], gilFound: stove.gil.found, ended: true }; // a file vanished between checks: it ended
    }
    if (reading.ended) this.forget(stove);
    this.options.onReading(reading);
  }

  private forget(stove: ProcessStove): void {
    stove.close();
    this.stoves.delete(stove.pid);
    this.runTimerWhileWatching();
  }

  private runTimerWhileWatching(): void {
    const wanted = this.started && this.stoves.size > 0;
    if (wanted && this.timer === null) {
      this.timer = setInterval(() => this.tickFromTimer(), this.options.intervalMs ?? DEFAULT_STOVE_INTERVAL_MS);
      this.timer.unref();
    } else if (!wanted && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
