// What the sampler learns of the run's processes on each tick, and the interface of what
// reads it (processSource.ts picks the one for this platform).

import type { ThreadState } from '../../../shared/runRecord';

/** A process as the walk from the run's roots finds it. */
export interface TreeProcess {
  pid: number;
  ppid: number;
  /** pid + start time: a reused PID gets a different key. */
  key: string;
  command: string;
}

export interface ObservedProcess extends TreeProcess {
  /**
   * % of ONE core over the interval since the previous tick. Linux: the CPU time it used
   * since it began, over that interval, on the first tick that sees it. Elsewhere 0 until
   * its CPU time has been read twice, or, where that time counts whole seconds, until it
   * has stepped twice (cpuTimeRate.ts).
   */
  cpu: number;
  /** CPU time (user + system) it has used so far; null where the platform does not say. */
  cpuTimeMs: number | null;
  /**
   * Linux: how long its threads were ready to run but waited for a free CPU during the
   * interval (added up over threads); null where the platform does not say.
   */
  runQueueMs: number | null;
  /** Resident set size. */
  rssBytes: number;
  /** Linux: field 39 of /proc/PID/stat, else null. */
  core: number | null;
  /**
   * Linux: each of its threads, when they were read this tick (the process may have run
   * since they were last read: see linuxProcessTable.ts). Absent when they were not read,
   * on a kernel without scheduler times, and where the platform does not say (macOS, Windows).
   */
  threads?: ObservedThread[];
  /**
   * True while the fast reader (stoveWatch.ts) samples its threads: then the record takes
   * their samples from it, and `threads` only says which threads there are.
   */
  threadsReadFast?: boolean;
}

/** One thread of a process, as the sampler read it. */
export interface ObservedThread {
  /** Its native id. */
  tid: number;
  /** tid + start time: a reused tid gets a different key. */
  key: string;
  /** The kernel's name for it (its comm): the process's name unless the thread set its own. */
  name: string;
  /** % of ONE core since it was last read (since it began, or over the tick, when first read). */
  cpu: number;
  /** What took most of that interval. */
  state: ThreadState;
  /** How that interval was spent, in ms: on a core, ready but waiting for one, and the rest (blocked). */
  ranMs: number;
  coreWaitMs: number;
  waitingMs: number;
  /** CPU time it has used since it began. */
  cpuTimeMs: number;
}

/** Where the run's processes are looked for: these pids and all their descendants. */
export interface RunRoots {
  /** The program the runner started. */
  rootPid: number;
  /**
   * Pids the tracer reported alive (a process can be reported before the tree walk sees it,
   * or after its parent died and it was re-parented).
   */
  extraPids: Iterable<number>;
}

export interface ProcessSource {
  /** Whether read() reads each process's threads (ObservedProcess.threads) on this platform. */
  readonly readsThreads: boolean;
  /**
   * Every live process of the run, with its usage since the previous call. `atMs`, on the
   * run's clock, is when the reading started.
   */
  read(roots: RunRoots, atMs: number): Promise<ObservedProcess[]>;
  /**
   * After read(): the CPU time the run's processes used since the previous read, in ms,
   * indexed by logical CPU number (each thread's at the CPU it last ran on); null where the
   * platform does not say which CPU a process ran on.
   */
  cpuMsByCore(): readonly number[] | null;
  /** Releases what read() holds open. */
  close(): void;
}
