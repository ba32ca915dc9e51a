// The processes of a run on Linux, kept from one sampler tick to the next. This is the
// sampler's hot path, and it is cheap because a tick touches little (BENCHMARKS.md has the
// cost): each known process's /proc/PID/stat is read again through a file kept open and
// parsed in place into that process's record, which gives its CPU time, memory, last core
// and parent at once (the very fields pidusage reads there); and new processes are looked
// for only where one can have appeared.
//
// Where a new process can appear: the kernel hands out pids in increasing order, and the
// last field of /proc/loadavg is the last one handed out. So only the parents of the pids
// handed out since the previous tick can have a new child, and only their children files
// are read. Every process's children files are read on the first tick, after the pids
// wrapped around, when many pids are new, and every tenth tick in case the counter misled
// the search (in a container whose /proc/loadavg shows another pid namespace's, say).
//
// CPU time, run-queue wait and cores come from each thread's scheduler times
// (linuxThreadTimes.ts), read only for a process that may have run since the last tick:
// its CPU ticks moved, it is runnable now, it is new, or its number of threads changed (one
// began or ended). An idle process costs no more than its stat line, and its threads get no
// sample that tick: their next sample covers the time since their last. Where the kernel keeps no scheduler times, the stat line's
// CPU ticks are used, the run-queue wait is not known and threads are not sampled.

import * as fs from 'node:fs';
import { kernelUnits } from './linuxAuxv';
import { ChildrenFiles, haveChildrenFiles, openIfExists, readCommandLine, readFromStart, READ_BUFFER_BYTES, scanChildrenByParent } from './linuxProcFiles';
import { emptyProcPidStat, isExitedState, parseComm, parseLastPid, parseProcPidStatInto, processKey, type ProcPidStat } from './linuxProcStat';
import { addCpuNs, haveSchedstat, ProcessThreadTimes } from './linuxThreadTimes';
import type { ObservedProcess, ObservedThread, ProcessSource, RunRoots } from '../processReading';
import { classifyBySchedstat, type ThreadStateClassifier } from '../threadStates';

/** A full walk at least this often, in case a process was missed. */
const MAX_TICKS_BETWEEN_FULL_WALKS = 10;
/** More new pids than this since the last tick: a full walk costs less than looking at each. */
const MAX_NEW_PIDS_TO_LOOK_AT = 32;

class TrackedProcess {
  /** CPU time at the previous tick; null on the tick that found the process. */
  previousCpuTicks: number | null = null;
  /** Its number of threads at the previous tick. */
  previousNumThreads = 0;
  /** CPU time used so far, in ns, as the sampler's readings have added it up. */
  cpuTimeNs = 0;
  /** Its threads' scheduler times, once it was seen to run (where the kernel keeps them). */
  threads: ProcessThreadTimes | null = null;
  /** When its threads were last read: the tick (a count), the moment (performance.now()), its CPU ticks. */
  threadsReadTick = -1;
  threadsReadAtMs = 0;
  threadsReadCpuTicks = 0;
  command = '';
  /** The argument address when the command was read: exec moves it. */
  commandArgsStart: number | null = null;
  commandArgsEnd: number | null = null;
  /** Opened on the first search for children. */
  children: ChildrenFiles | null = null;

  constructor(
    /** The fields of its stat line, rewritten in place every tick. */
    readonly stat: ProcPidStat,
    readonly key: string,
    /** Bound to this process: reads fail once it is reaped, whoever gets its pid next. */
    readonly statFd: number,
  ) {}
}

export class LinuxProcessTable implements ProcessSource {
  private readonly units = kernelUnits();
  private readonly buffer = Buffer.alloc(READ_BUFFER_BYTES);
  private readonly hasChildrenFiles = haveChildrenFiles();
  private readonly hasSchedstat = haveSchedstat(this.buffer);
  /** Threads are read where the kernel keeps their scheduler times. */
  readonly readsThreads = this.hasSchedstat;
  private readonly nsPerTick = 1e9 / this.units.clockTicksPerSecond;
  /** CPU ns of the run per logical CPU since the previous tick, filled by observe(). */
  private readonly cpuNsByCore: number[] = [];
  private ticks = 0;
  /** Whether this tick walks every process's children (and lists every process's threads). */
  private fullWalk = false;
  /** The live processes of the run, in the order found: the hot loop walks an array. */
  private tracked: TrackedProcess[] = [];
  private readonly byPid = new Map<number, TrackedProcess>();
  /** Where lookUp() reads a process that is not tracked. */
  private readonly lookedUp = emptyProcPidStat();
  /** The root's key once found: a later process that reuses its pid is not the root. */
  private rootKey: string | null = null;
  private loadavgFd: number | null = null;
  /** The last pid the kernel had handed out at the previous tick; null: no tick yet. */
  private lastPidBefore: number | null = null;
  private ticksSinceFullWalk = 0;
  private previousAtMs = 0;
  /** Where there are no children files: every process's children, scanned once per tick. */
  private childrenScan: Map<number, number[]> | null = null;

  /** `classifyThread`: what each thread was doing between two of its samples. */
  constructor(private readonly classifyThread: ThreadStateClassifier = classifyBySchedstat) {}

  async read(roots: RunRoots, atMs: number): Promise<ObservedProcess[]> {
    // First: a process created after this reading is new to the next tick.
    const lastPid = this.readLastPid();
    this.childrenScan = null;
    const endedPids = this.rereadTracked();
    this.trackRoots(roots);
    const parents = this.parentsOfNewProcesses(lastPid);
    for (const process of this.trackReusedPids(endedPids)) {
      if (!parents.includes(process)) {
        parents.push(process);
      }
    }
    this.trackNewChildren(parents);
    this.lastPidBefore = lastPid;
    return this.observe(atMs);
  }

  cpuMsByCore(): readonly number[] | null {
    // Holes are CPUs nothing of the run ran on.
    return Array.from(this.cpuNsByCore, (ns) => (ns ?? 0) / 1e6);
  }

  close(): void {
    this.tracked.forEach((process) => this.closeFiles(process));
    this.tracked = [];
    this.byPid.clear();
    if (this.loadavgFd !== null) {
      fs.closeSync(this.loadavgFd);
      this.loadavgFd = null;
    }
    this.lastPidBefore = null;
  }

  /** The hot loop: one read and one parse per process, nothing allocated. Returns the pids of those that ended. */
  private rereadTracked(): number[] {
    const endedPids: number[] = [];
    let kept = 0;
    for (const process of this.tracked) {
      const bytes = readFromStart(process.statFd, this.buffer);
      if (bytes !== null && parseProcPidStatInto(process.stat, this.buffer, bytes) && !isExitedState(process.stat.state)) {
        if (this.hasExeced(process)) {
          this.readCommand(process, bytes);
        }
        this.tracked[kept++] = process;
      } else {
        // Reaped, or a zombie: ended either way.
        endedPids.push(process.stat.pid);
        this.byPid.delete(process.stat.pid);
        this.closeFiles(process);
      }
    }
    this.tracked.length = kept;
    return endedPids;
  }

  /**
   * The run's new processes that took the pid of one that just ended. The pid counter then
   * went back, which the search for new processes does not expect: someone set it (as
   * checkpoint/restore tools do, through ns_last_pid).
   */
  private trackReusedPids(endedPids: number[]): TrackedProcess[] {
    const reused: TrackedProcess[] = [];
    for (const pid of endedPids) {
      const process = this.track(pid, ({ stat }) => this.byPid.has(stat.ppid));
      if (process !== null) {
        reused.push(process);
      }
    }
    return reused;
  }

  private trackRoots({ rootPid, extraPids }: RunRoots): void {
    if (!this.byPid.has(rootPid)) {
      const root = this.track(rootPid, ({ key }) => this.rootKey === null || key === this.rootKey);
      this.rootKey ??= root?.key ?? null;
    }
    for (const pid of extraPids) {
      if (!this.byPid.has(pid)) {
        this.track(pid, () => true);
      }
    }
  }

  /**
   * The processes that may have a child not tracked yet, or every process when a full walk
   * is due. A new pid may be a thread: its parent is its process's parent, which costs a
   * needless read of that parent's children at worst.
   */
  private parentsOfNewProcesses(lastPid: number | null): TrackedProcess[] {
    const previous = this.lastPidBefore;
    const fullWalk =
      lastPid === null ||
      previous === null ||
      lastPid < previous ||
      lastPid - previous > MAX_NEW_PIDS_TO_LOOK_AT ||
      this.ticksSinceFullWalk >= MAX_TICKS_BETWEEN_FULL_WALKS;
    this.fullWalk = fullWalk;
    if (fullWalk) {
      this.ticksSinceFullWalk = 1;
      return [...this.tracked];
    }
    this.ticksSinceFullWalk++;
    const parents: TrackedProcess[] = [];
    for (let pid = previous + 1; pid <= lastPid; pid++) {
      const parent = !this.byPid.has(pid) && this.lookUp(pid) ? this.byPid.get(this.lookedUp.ppid) : undefined;
      if (parent !== undefined && !parents.includes(parent)) {
        parents.push(parent);
      }
    }
    return parents;
  }

  /** Tracks the untracked children of the parents, and theirs in turn. */
  private trackNewChildren(parents: TrackedProcess[]): void {
    for (let i = 0; i < parents.length; i++) {
      const parent = parents[i];
      for (const childPid of this.childrenOf(parent)) {
        // The ppid check: the child may have ended and its pid been reused since the listing.
        const child = this.byPid.has(childPid) ? null : this.track(childPid, ({ stat }) => stat.ppid === parent.stat.pid);
        if (child !== null) {
          parents.push(child);
        }
      }
    }
  }

  private childrenOf(process: TrackedProcess): number[] {
    if (!this.hasChildrenFiles) {
      this.childrenScan ??= scanChildrenByParent();
      return this.childrenScan.get(process.stat.pid) ?? [];
    }
    process.children ??= new ChildrenFiles(process.stat.pid);
    return process.children.read(process.stat.numThreads, this.buffer);
  }

  /** Starts tracking a live process, when `accept` takes it. */
  private track(pid: number, accept: (process: TrackedProcess) => boolean): TrackedProcess | null {
    const stat = emptyProcPidStat();
    const opened = this.openLiveStat(pid, stat);
    if (opened === null) {
      return null;
    }
    const process = new TrackedProcess(stat, processKey(pid, stat.startTime), opened.fd);
    if (!accept(process)) {
      fs.closeSync(opened.fd);
      return null;
    }
    this.readCommand(process, opened.bytes);
    this.tracked.push(process);
    this.byPid.set(pid, process);
    return process;
  }

  /** Reads a process that is not tracked once, into this.lookedUp; false when it is gone or a zombie. */
  private lookUp(pid: number): boolean {
    const opened = this.openLiveStat(pid, this.lookedUp);
    if (opened !== null) {
      fs.closeSync(opened.fd);
    }
    return opened !== null;
  }

  /**
   * Opens /proc/PID/stat and reads it into `into`: its file and the length of its line (left
   * in the buffer), or null, with nothing left open, when the process is gone or a zombie.
   */
  private openLiveStat(pid: number, into: ProcPidStat): { fd: number; bytes: number } | null {
    const fd = openIfExists(`/proc/${pid}/stat`);
    if (fd === null) {
      return null;
    }
    const bytes = readFromStart(fd, this.buffer);
    if (bytes === null || !parseProcPidStatInto(into, this.buffer, bytes) || isExitedState(into.state)) {
      fs.closeSync(fd);
      return null;
    }
    return { fd, bytes };
  }

  /**
   * Whether the argument address moved since the command was read: exec gives a new address
   * space (a spawn child right after its fork does). An exiting process has none left and
   * shows 0: it keeps the command it ran. (Kernels before 3.5, which show no address, are
   * older than any VS Code runs on.)
   */
  private hasExeced({ stat, commandArgsStart, commandArgsEnd }: TrackedProcess): boolean {
    const moved = stat.argsStart !== commandArgsStart || stat.argsEnd !== commandArgsEnd;
    return moved && stat.argsStart !== 0;
  }

  /** `statBytes`: the length of the process's stat line, still in the buffer. */
  private readCommand(process: TrackedProcess, statBytes: number): void {
    const comm = parseComm(this.buffer, statBytes);
    const command = readCommandLine(process.stat.pid, this.buffer);
    process.command = command === '' ? `[${comm ?? process.stat.pid}]` : command;
    process.commandArgsStart = process.stat.argsStart;
    process.commandArgsEnd = process.stat.argsEnd;
  }

  private observe(atMs: number): ObservedProcess[] {
    const tickMs = atMs - this.previousAtMs;
    this.previousAtMs = atMs;
    this.ticks++;
    this.cpuNsByCore.length = 0;
    const observed: ObservedProcess[] = [];
    for (const process of this.tracked) {
      const { stat, previousCpuTicks } = process;
      const mayHaveRun =
        previousCpuTicks === null || stat.cpuTicks !== previousCpuTicks || stat.state === 'R' || stat.numThreads !== process.previousNumThreads;
      let cpu = 0;
      let runQueueMs: number | null = this.hasSchedstat ? 0 : null;
      let threads: ObservedThread[] | undefined;
      if (mayHaveRun && this.hasSchedstat) {
        ({ cpu, runQueueMs, threads } = this.readThreads(process, tickMs));
      } else if (mayHaveRun) {
        const ranNs = (stat.cpuTicks - (previousCpuTicks ?? 0)) * this.nsPerTick;
        process.cpuTimeNs += ranNs;
        addCpuNs(this.cpuNsByCore, stat.processor, ranNs);
        // Whole ticks: a thread can seem to have run for more than the interval.
        cpu = tickMs > 0 ? Math.min(ranNs / 1e6 / tickMs, stat.numThreads) * 100 : 0;
      }
      process.previousCpuTicks = stat.cpuTicks;
      process.previousNumThreads = stat.numThreads;
      observed.push({
        pid: stat.pid,
        ppid: stat.ppid,
        key: process.key,
        command: process.command,
        cpu,
        cpuTimeMs: process.cpuTimeNs / 1e6,
        runQueueMs,
        rssBytes: stat.rssPages * this.units.pageSizeBytes,
        core: stat.processor,
        ...(threads !== undefined ? { threads } : {}),
      });
    }
    return observed;
  }

  /**
   * Reads a process's threads; its CPU % over the time since they were last read (when that
   * was the previous tick, else over the tick) and the time they waited for a CPU.
   */
  private readThreads(process: TrackedProcess, tickMs: number): { cpu: number; runQueueMs: number; threads: ObservedThread[] } {
    process.threads ??= new ProcessThreadTimes(process.stat.pid, this.classifyThread);
    const readAtMs = performance.now();
    // Bounded by the CPU ticks since the same moment as the threads' times: their last read.
    const moment = { atMs: readAtMs, firstIntervalMs: tickMs };
    const reading = process.threads.read(process.stat, process.threadsReadCpuTicks, this.nsPerTick, this.fullWalk, moment, this.buffer, this.cpuNsByCore);
    const intervalMs = process.threadsReadTick === this.ticks - 1 ? readAtMs - process.threadsReadAtMs : tickMs;
    process.threadsReadTick = this.ticks;
    process.threadsReadAtMs = readAtMs;
    process.threadsReadCpuTicks = process.stat.cpuTicks;
    process.cpuTimeNs += reading.ranNs;
    // A thread cannot run for longer than the interval; the clock reads around the file
    // reads can make it look so by a hair.
    const cpu = intervalMs > 0 ? Math.min(reading.ranNs / 1e6 / intervalMs, reading.threadsThatRan) * 100 : 0;
    return { cpu, runQueueMs: reading.waitedNs / 1e6, threads: reading.threads };
  }

  /** The last pid the kernel handed out, or null. */
  private readLastPid(): number | null {
    this.loadavgFd ??= openIfExists('/proc/loadavg');
    const bytes = this.loadavgFd === null ? null : readFromStart(this.loadavgFd, this.buffer);
    return bytes === null ? null : parseLastPid(this.buffer, bytes);
  }

  private closeFiles(process: TrackedProcess): void {
    fs.closeSync(process.statFd);
    process.children?.close();
    process.threads?.close();
  }
}
