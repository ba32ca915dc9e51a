// The CPU time, run-queue wait and cores of the threads of one process on Linux, from
// /proc/PID/task/TID/schedstat (nanoseconds: the time the thread ran, and the time it was
// ready to run but waited for a free CPU) and, for a thread that ran, the last CPU it ran
// on from /proc/PID/task/TID/stat. Files are kept open from tick to tick (linuxProcFiles.ts
// says why), and the threads are listed again only when their number changed, a read
// failed, or the table asks (its full walks).
//
// The process's own /proc/PID/stat, read just before, bounds the result: its CPU ticks
// count every thread, those that ended since the last read too, and are exact to two
// ticks (user and system time are each cut to a whole tick). So the threads' sum is kept
// within those bounds: a thread that ended between two reads still counts, and a thread
// found late (by a listing after one ended and another began) cannot add time that was
// spent before the previous read.
//
// Each thread read is also a thread of the record (ObservedThread): its own CPU % since it
// was last read, from its schedstat run time unbounded (exact to the nanosecond), how that
// interval was spent (ran, waited for a core, the rest), and its state over the interval,
// which a classifier (threadStates.ts) reads from those three.

import * as fs from 'node:fs';
import { openIfExists, readFromStart } from './linuxProcFiles';
import { listThreadIds, reconcileThreads } from './threadListing';
import { emptyProcPidStat, parseComm, parseProcPidStatInto, parseSchedstatInto, processKey, type ProcPidStat, type SchedTimes } from './linuxProcStat';
import type { ObservedThread } from '../processReading';
import type { ThreadStateClassifier } from '../threadStates';
import { splitInterval } from './gilWaits';

class ThreadFiles {
  readonly times: SchedTimes = { runtimeNs: 0, runDelayNs: 0 };
  /** Opened once the thread is seen to run with others beside it. */
  statFd: number | null = null;
  readonly stat: ProcPidStat = emptyProcPidStat();
  /** When its times were last read (performance.now()); null before the first read. */
  readAtMs: number | null = null;

  constructor(
    readonly tid: number,
    readonly schedstatFd: number,
    /** tid + start time, and the kernel's name for it, read when it was listed. */
    readonly key: string,
    readonly name: string,
  ) {}

  close(): void {
    fs.closeSync(this.schedstatFd);
    if (this.statFd !== null) {
      fs.closeSync(this.statFd);
    }
  }
}

/** What one read found: set by ProcessThreadTimes.read(). */
export interface ThreadTimesReading {
  /** CPU time of the process since the previous read (since it began, on the first). */
  ranNs: number;
  /** Time its threads waited for a free CPU since the previous read. */
  waitedNs: number;
  /** How many of its threads ran since the previous read. */
  threadsThatRan: number;
  /** Each thread read, in the order listed (the main thread first). */
  threads: ObservedThread[];
}

/** Whether this kernel keeps scheduler times (CONFIG_SCHED_INFO); without, schedstat reads "0 0 0". */
export function haveSchedstat(buffer: Buffer): boolean {
  const fd = openIfExists(`/proc/${process.pid}/schedstat`);
  if (fd === null) {
    return false;
  }
  const times: SchedTimes = { runtimeNs: 0, runDelayNs: 0 };
  const bytes = readFromStart(fd, buffer);
  fs.closeSync(fd);
  // This process has run, so a working counter is not zero.
  return bytes !== null && parseSchedstatInto(times, buffer, bytes) && times.runtimeNs > 0;
}

/** Adds CPU ns to a core's total; a core nothing ran on yet is a hole in the array. */
export function addCpuNs(cpuNsByCore: number[], core: number, ns: number): void {
  cpuNsByCore[core] = (cpuNsByCore[core] ?? 0) + ns;
}

/** When a read begins, and the interval to assume for a thread read for the first time. */
export interface ReadMoment {
  /** performance.now() as the read begins. */
  atMs: number;
  /** The interval a thread of a process read for the first time is taken to cover (the tick's). */
  firstIntervalMs: number;
}

export class ProcessThreadTimes {
  private threads: ThreadFiles[] = [];
  private needsListing = true;
  /** Per thread of the current read that ran: its core and CPU ns, before the bounds apply. */
  private readonly ranCores: number[] = [];
  private readonly ranNs: number[] = [];
  /** When the threads were last read (performance.now()); null before the first read. */
  private lastReadAtMs: number | null = null;
  readonly reading: ThreadTimesReading = { ranNs: 0, waitedNs: 0, threadsThatRan: 0, threads: [] };

  constructor(
    private readonly pid: number,
    private readonly classify: ThreadStateClassifier,
  ) {}

  /**
   * Reads the threads' times since the previous call and adds the process's CPU ns to
   * `cpuNsByCore`, each thread's at the CPU it last ran on. `stat` is the process's stat
   * line just read; `previousCpuTicks` its CPU ticks at the previous read (0 on the first);
   * `relist`: list the threads again even if their number looks unchanged; `moment`: when
   * this read began, from which each thread's interval since its previous read is measured.
   */
  read(
    stat: ProcPidStat,
    previousCpuTicks: number,
    nsPerTick: number,
    relist: boolean,
    moment: ReadMoment,
    buffer: Buffer,
    cpuNsByCore: number[],
  ): ThreadTimesReading {
    if (relist || this.needsListing || stat.numThreads !== this.threads.length) {
      this.list(stat.numThreads, buffer);
    }
    const reading = this.reading;
    reading.waitedNs = 0;
    reading.threads = [];
    this.ranCores.length = 0;
    this.ranNs.length = 0;
    let sumNs = 0;
    const alone = this.threads.length === 1;
    for (const thread of this.threads) {
      const bytes = readFromStart(thread.schedstatFd, buffer);
      const { runtimeNs, runDelayNs } = thread.times;
      if (bytes === null || !parseSchedstatInto(thread.times, buffer, bytes)) {
        this.needsListing = true; // it ended: the process's ticks still count its time
        continue;
      }
      const waited = Math.max(0, thread.times.runDelayNs - runDelayNs);
      reading.waitedNs += waited;
      const ran = thread.times.runtimeNs - runtimeNs;
      reading.threads.push(this.observed(thread, ran, waited, moment));
      if (ran > 0) {
        // One thread alone ran where the process's stat line says it last ran.
        this.ranCores.push(alone ? stat.processor : this.coreOf(thread, stat.processor, buffer));
        this.ranNs.push(ran);
        sumNs += ran;
      }
    }
    // The bounds of the process's own ticks (see the header).
    const ticks = stat.cpuTicks - previousCpuTicks;
    const ranNs = Math.min(Math.max(sumNs, (ticks - 2) * nsPerTick), (ticks + 2) * nsPerTick);
    reading.ranNs = Math.max(0, ranNs);
    reading.threadsThatRan = Math.max(this.ranNs.length, reading.ranNs > 0 ? 1 : 0);
    if (sumNs > 0) {
      const scale = reading.ranNs / sumNs;
      for (let i = 0; i < this.ranNs.length; i++) {
        const core = this.ranCores[i];
        addCpuNs(cpuNsByCore, core, this.ranNs[i] * scale);
      }
    } else if (reading.ranNs > 0) {
      addCpuNs(cpuNsByCore, stat.processor, reading.ranNs);
    }
    this.lastReadAtMs = moment.atMs;
    return reading;
  }

  /** A thread as read now: `ranNs` and `waitedNs` since its previous read. */
  private observed(thread: ThreadFiles, ranNs: number, waitedNs: number, moment: ReadMoment): ObservedThread {
    // A thread new since the process's last read began within that interval.
    const since = thread.readAtMs ?? this.lastReadAtMs;
    const intervalMs = since === null ? moment.firstIntervalMs : moment.atMs - since;
    thread.readAtMs = moment.atMs;
    const intervalNs = intervalMs * 1e6;
    // The clock reads around the file reads can make a thread seem to run a hair longer than
    // the interval: the split keeps every part within it.
    const split = splitInterval(intervalNs, ranNs, waitedNs, false);
    const cpu = split.intervalNs > 0 ? (split.ranNs / split.intervalNs) * 100 : 0;
    return {
      tid: thread.tid,
      key: thread.key,
      name: thread.name,
      cpu,
      state: this.classify({ intervalNs, ranNs, runDelayNs: waitedNs }),
      ranMs: split.ranNs / 1e6,
      coreWaitMs: split.coreWaitNs / 1e6,
      waitingMs: split.waitingNs / 1e6,
      cpuTimeMs: thread.times.runtimeNs / 1e6,
    };
  }

  close(): void {
    this.threads.forEach((thread) => thread.close());
    this.threads = [];
  }

  /** The CPU a thread last ran on; the process's when its stat cannot be read. */
  private coreOf(thread: ThreadFiles, fallback: number, buffer: Buffer): number {
    thread.statFd ??= openIfExists(`/proc/${this.pid}/task/${thread.tid}/stat`);
    const bytes = thread.statFd === null ? null : readFromStart(thread.statFd, buffer);
    return bytes !== null && parseProcPidStatInto(thread.stat, buffer, bytes) ? thread.stat.processor : fallback;
  }

  /**
   * Keeps the files of threads still listed, opens those of new ones, closes the rest. The
   * kernel lists a process's threads in the order they began, the main thread first.
   */
  private list(numThreads: number, buffer: Buffer): void {
    this.needsListing = false;
    // A listing costs about as much as a read: a process of one thread needs none.
    const tids = numThreads <= 1 ? [this.pid] : listThreadIds(this.pid);
    this.threads = reconcileThreads(this.threads, tids, (tid) => {
      const identity = this.identityOf(tid, buffer);
      const fd = identity === null ? null : openIfExists(`/proc/${this.pid}/task/${tid}/schedstat`);
      return identity !== null && fd !== null ? new ThreadFiles(tid, fd, identity.key, identity.name) : null;
    });
  }

  /**
   * A new thread's key and name, from its stat line: its start time and its comm (the text
   * /proc/PID/task/TID/comm shows, read here with the start time in one file); null when it
   * has ended.
   */
  private identityOf(tid: number, buffer: Buffer): { key: string; name: string } | null {
    const fd = openIfExists(`/proc/${this.pid}/task/${tid}/stat`);
    if (fd === null) {
      return null;
    }
    const bytes = readFromStart(fd, buffer);
    fs.closeSync(fd);
    const stat = emptyProcPidStat();
    if (bytes === null || !parseProcPidStatInto(stat, buffer, bytes)) {
      return null;
    }
    return { key: processKey(tid, stat.startTime), name: parseComm(buffer, bytes) ?? String(tid) };
  }
}
