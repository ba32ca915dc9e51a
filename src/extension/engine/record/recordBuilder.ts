// Builds a run's record from what the tracer reports and what the sampler observes.
//
// Two sources describe the same processes: the tracer (exact start/end times, roles, exit
// codes, but only for Python processes it runs in) and the sampler (CPU, memory and core
// for every process of the tree, keyed on pid + start time). A process is one entry;
// a pid that reappears after its entry ended, or with another start time, is a new process.
// Everything is bounded: when a cap is hit the record says `truncated`. Each process's
// threads are merged the same way, in a table of their own (threadTable.ts).
//
// This is the one place where a run's reports are merged. A live view gets what changed
// since it last asked (drainChanges), as deltas: the same entries the finished record will
// have, sent again whenever they change.

import type { LiveDelta, ProcessFacts } from '../../../shared/liveDeltas';
import type { CoreSample, ProcessEntry, ProcessRole } from '../../../shared/runRecord';
import { ActivityBuilder, isActivityRecord, type Activity } from './activityBuilder';
import { ConnectionsRead } from './connectionsRead';
import { childExitFacts, childStartFacts, commandName, isUnknownChild, processStartOf, UnplacedExits } from '../tracer/tracerEvents';
import { LAUNCHER_NAME, RootLauncher } from './rootLauncher';
import { coreSampleOf, processSampleOf, type SamplerTick } from '../sampling/sampler';
import type { StoveReading } from '../sampling/linux/stoveSampler';
import type { TracerRecord } from '../tracer/tracerProtocol';
import { ThreadTable, type ThreadCaps } from './threadTable';
import type { Workers } from './unfinishedTasks';

export interface RecordCaps extends ThreadCaps {
  processes: number;
  samplesPerProcess: number;
  coreSamples: number;
}

export const DEFAULT_CAPS: RecordCaps = {
  processes: 2000,
  // 100 ms ticks: an hour of samples per process, per thread and per core.
  samplesPerProcess: 36_000,
  coreSamples: 36_000,
  // A thread per task or per request: the first ones show what the program does.
  threadsPerProcess: 500,
  samplesPerThread: 36_000,
  // 5 ms samples of threads that want to run: a minute's worth. The sampler reads a process
  // fast no longer than that (stoveWatch.ts), then every 100 ms again.
  fastSamplesPerThread: 12_000,
};

interface LiveEntry {
  entry: ProcessEntry;
  /** Its place in the record's processes. */
  index: number;
  /** The sampler's pid + start-time key, once the sampler has seen the process. */
  samplerKey: string | null;
  /** How many of its samples a live view has. */
  samplesSent: number;
  /** Its threads, once any is known. */
  threads: ThreadTable | null;
}

export class RunRecordBuilder {
  private readonly entries: LiveEntry[] = [];
  /** The newest entry for each pid. */
  private readonly byPid = new Map<number, LiveEntry>();
  private readonly coreSamples: CoreSample[] = [];
  private readonly warnings: string[] = [];
  private startMethod: string | null = null;
  private readonly activity = new ActivityBuilder();
  private truncatedProcesses = false;
  private readonly unplacedExits = new UnplacedExits();
  private readonly rootLauncher = new RootLauncher();
  // What a live view has yet to get (drainChanges).
  private readonly changedEntries = new Set<LiveEntry>();
  private readonly sampledEntries = new Set<LiveEntry>();
  private readonly threadedEntries = new Set<LiveEntry>();
  private coreSamplesSent = 0;
  private warningsSent = 0;
  private readonly connectionsRead = new ConnectionsRead();
  /** Whether tasks of workers that died are decided as the run goes (not once it is being stopped). */
  private closingTasksLive = true;

  constructor(private readonly caps: RecordCaps = DEFAULT_CAPS) {}

  /** True once any cap was hit. */
  get truncated(): boolean {
    return this.truncatedProcesses || this.activity.truncated || this.entries.some((live) => live.threads?.truncated === true);
  }

  /** A tracer connection of `pid` said hello: its records follow. */
  connectionOpened(pid: number): void {
    this.connectionsRead.opened(pid);
  }

  /** Every line of a connection of `pid` has been read, its spool's included. */
  connectionRead(pid: number): void {
    this.connectionsRead.read(pid);
  }

  /**
   * The run is being stopped (by the learner or its time limit): from now on workers die of
   * the stop, so the tasks they leave are decided at the end of the run, which knows it was
   * stopped (finishTasks).
   */
  stopBegan(): void {
    this.closingTasksLive = false;
  }

  /**
   * Once the run is over and every worker's records are in: tasks a worker took and never
   * finished (it died running them), and that no drain has decided yet, join the tasks, each
   * with a warning. Before finishActivity.
   */
  finishTasks(durationMs: number, stopped: boolean): void {
    const warnings = this.activity.closeUnfinishedTasks(this.workers(), { durationMs, stopped });
    for (const warning of warnings) this.addWarning(warning);
  }

  /** Locks, messages and tasks, joined across processes so far. */
  finishActivity(): Activity {
    return this.activity.finish();
  }

  /**
   * Everything that changed since the previous call, in an order the webview can apply
   * (a process before its samples). Joins what waits for a batch first (activityBuilder.ts).
   */
  drainChanges(): LiveDelta[] {
    if (this.closingTasksLive) this.closeEndedWorkersTasks();
    const deltas: LiveDelta[] = [];
    for (const live of this.changedEntries) deltas.push({ kind: 'process', process: factsOf(live) });
    for (const live of this.sampledEntries) {
      deltas.push({ kind: 'samples', index: live.index, samples: live.entry.samples.slice(live.samplesSent) });
      live.samplesSent = live.entry.samples.length;
    }
    // After the processes: a thread's delta needs its process in the live record.
    for (const live of this.threadedEntries) live.threads?.drainChanges(live.index, deltas);
    this.changedEntries.clear();
    this.sampledEntries.clear();
    this.threadedEntries.clear();
    if (this.coreSamples.length > this.coreSamplesSent) {
      deltas.push({ kind: 'core-samples', samples: this.coreSamples.slice(this.coreSamplesSent) });
      this.coreSamplesSent = this.coreSamples.length;
    }
    this.activity.drainChanges(deltas);
    for (const message of this.warnings.slice(this.warningsSent)) deltas.push({ kind: 'warning', message });
    this.warningsSent = this.warnings.length;
    return deltas;
  }

  /** The main process, known from the spawn before the tracer says anything. */
  addRoot(pid: number, ppid: number, command: string): void {
    this.rootLauncher.setRoot(pid);
    this.create({ pid, ppid, role: 'main', name: 'MainProcess', startMs: 0, traced: false, command });
  }

  applyTracerRecord(record: TracerRecord): void {
    if (isActivityRecord(record)) {
      this.activity.apply(record);
      return;
    }
    switch (record.type) {
      case 'process-start': {
        if (this.rootLauncher.reveals(record)) this.demoteRoot();
        const live = this.current(record.pid);
        if (live && !live.entry.traced) {
          // The sampler (or the spawn) found it first, even if it has ended since; the tracer knows it better.
          this.change(live, { ppid: record.ppid, role: record.role, name: record.name, traced: true, startMs: Math.min(live.entry.startMs, processStartOf(record)) });
        } else if (live && live.entry.endMs === null) {
          // The same process again: a fork child that exec'd a new Python interpreter.
          this.change(live, { role: record.role, name: record.name });
        } else {
          this.placeExit(this.create({ pid: record.pid, ppid: record.ppid, role: record.role, name: record.name, startMs: processStartOf(record), traced: true }));
        }
        if (record.startMethod && this.startMethod === null) this.startMethod = record.startMethod;
        const started = this.current(record.pid);
        if (started && record.tid !== undefined) {
          this.threadsOf(started).first(record.tid, record.threadName ?? 'MainThread', started.entry.startMs);
        }
        break;
      }
      case 'thread-batch': {
        const live = this.current(record.pid);
        const threads = live && this.threadsOf(live);
        if (!threads) break;
        for (const [tid, name, startMs, endMs, cpuMs] of record.events) {
          if (endMs === null) threads.started(tid, name, startMs);
          else threads.ended(tid, name, startMs, endMs, cpuMs);
        }
        break;
      }
      case 'process-role': {
        const live = this.current(record.pid);
        if (live) this.change(live, { role: record.role, name: record.name });
        break;
      }
      case 'process-end': {
        const live = this.current(record.pid);
        if (!live) break;
        this.change(live, { endMs: record.t, cpuMs: record.cpuMs });
        if (record.exitCode !== null && live.entry.exitCode === null) this.change(live, { exitCode: record.exitCode });
        break;
      }
      case 'child-start': {
        // The child's own tracer or the sampler may have got there first: they know it as well.
        const live = this.current(record.pid);
        if (isUnknownChild(live?.entry, record)) this.placeExit(this.create(childStartFacts(record)));
        break;
      }
      case 'child-exit': {
        const live = this.current(record.pid);
        if (live) this.change(live, childExitFacts(live.entry, record));
        else this.unplacedExits.hold(record);
        break;
      }
      case 'start-method':
        // The method the program really used (it may have picked its own), not just the default.
        this.startMethod = record.method;
        break;
      case 'warning':
        this.addWarning(record.message);
        break;
    }
  }

  applySamplerTick(tick: SamplerTick): void {
    const seen = new Set<LiveEntry>();
    for (const observed of tick.processes) {
      let live = this.current(observed.pid);
      // Only a different start time means a different process: a traced process that already
      // reported its end can still be seen for a moment while it exits.
      const isNewProcess = !live || (live.samplerKey !== null && live.samplerKey !== observed.key);
      if (isNewProcess) {
        if (live && live.entry.endMs === null) this.change(live, { endMs: lastSampleTime(live.entry) ?? tick.t });
        live = this.create({
          pid: observed.pid,
          ppid: observed.ppid,
          role: 'other',
          name: commandName(observed.command),
          startMs: tick.t,
          traced: false,
          command: observed.command,
        });
      }
      if (!live) continue; // the process cap was hit
      live.samplerKey = observed.key;
      if (!live.entry.traced && live.entry.command === undefined) this.change(live, { command: observed.command });
      seen.add(live);
      this.pushSample(live, processSampleOf(tick.t, observed));
      if (observed.threads !== undefined) this.threadsOf(live).observe(tick.t, observed.threads, observed.threadsReadFast !== true);
      // Until it ends: then the tracer's figure, taken at its exit, is the last word.
      if (live.entry.endMs === null && observed.cpuTimeMs !== null && observed.cpuTimeMs !== live.entry.cpuMs) this.change(live, { cpuMs: observed.cpuTimeMs });
    }
    // A process the sampler saw before and no longer sees has ended (the tracer may refine the time).
    for (const live of this.byPid.values()) {
      if (!seen.has(live) && live.samplerKey !== null && live.entry.endMs === null) {
        this.change(live, { endMs: tick.t });
      }
    }
    const coreSample = coreSampleOf(tick);
    if (coreSample !== null) {
      if (this.coreSamples.length < this.caps.coreSamples) this.coreSamples.push(coreSample);
      else this.truncatedProcesses = true;
    }
  }

  /** A fast reading of a process's threads (stoveWatch.ts): their samples in between ticks. */
  applyStoveReading(reading: StoveReading): void {
    const live = this.current(reading.pid);
    if (!live?.threads || reading.threads.length === 0) return;
    live.threads.addFastSamples(reading.threads);
    this.threadedEntries.add(live);
  }

  addWarning(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** Pids of processes not yet known to have ended: the ones a stop must reach. */
  livePids(): number[] {
    return [...this.byPid.values()].filter((live) => live.entry.endMs === null).map((live) => live.entry.pid);
  }

  /** The live entry of a pid, for describing leftovers. */
  describe(pid: number): ProcessEntry | undefined {
    return this.byPid.get(pid)?.entry;
  }


  setRootExit(pid: number, exitCode: number | null, t: number): void {
    const live = this.current(pid);
    if (!live) return;
    // The runner saw the main process exit: that time beats a sampler tick's guess.
    this.change(live, { exitCode, endMs: t });
    // A launcher exits with its interpreter's exit code: that is the main's, which cannot
    // report its own (the tracer's process-end of a main carries none).
    const launcher = this.rootLauncher.launcher;
    const main = launcher?.launcherPid === pid ? this.current(launcher.mainPid) : undefined;
    if (main && main.entry.exitCode === null) this.change(main, { exitCode });
  }

  /** The processes, each closed at `durationMs` if nothing saw it end. */
  finishProcesses(durationMs: number): ProcessEntry[] {
    for (const live of this.entries) {
      if (live.entry.endMs === null) this.change(live, { endMs: durationMs });
    }
    for (const exit of this.unplacedExits.remaining()) {
      this.addWarning(`Process ${exit.pid} ended with exit code ${exit.exitCode}, but Parallel Lab never saw it start, so it is not in the process list.`);
    }
    return this.entries.map((live) => live.entry);
  }

  getCoreSamples(): CoreSample[] {
    return this.coreSamples;
  }

  getWarnings(): string[] {
    return this.warnings;
  }

  getStartMethod(): string | null {
    return this.startMethod;
  }

  /**
   * Tasks whose worker died running them, shown while the run goes. Looked for at each drain,
   * at a live view's pace, rather than on each record: a run nobody watches decides them all
   * at its end (finishTasks), as it would anyway.
   */
  private closeEndedWorkersTasks(): void {
    for (const warning of this.activity.closeEndedWorkersTasks(this.workers())) this.addWarning(warning);
  }

  /** What the record knows of the workers that run pool tasks: their entries, and which have told all they will. */
  private workers(): Workers {
    return { processOf: (pid) => this.current(pid)?.entry, allRead: (pid) => this.connectionsRead.allRead(pid) };
  }

  /** The root turned out to be a launcher (rootLauncher.ts): it is listed as such, not as the main. */
  private demoteRoot(): void {
    const root = this.rootLauncher.launcher && this.current(this.rootLauncher.launcher.launcherPid);
    if (root) this.change(root, { role: 'other', name: LAUNCHER_NAME });
  }

  private current(pid: number): LiveEntry | undefined {
    return this.byPid.get(pid);
  }

  /** A process the tracer just made known may already have an exit waiting for it. */
  private placeExit(live: LiveEntry | undefined): void {
    const exit = live && this.unplacedExits.take(live.entry.pid, live.entry.startMs);
    if (live && exit) this.change(live, childExitFacts(live.entry, exit));
  }

  private create(init: {
    pid: number;
    ppid: number;
    role: ProcessRole;
    name: string;
    startMs: number;
    traced: boolean;
    command?: string;
  }): LiveEntry | undefined {
    if (this.entries.length >= this.caps.processes) {
      this.truncatedProcesses = true;
      return undefined;
    }
    const entry: ProcessEntry = { ...init, endMs: null, exitCode: null, cpuMs: null, samples: [] };
    const live: LiveEntry = { entry, index: this.entries.length, samplerKey: null, samplesSent: 0, threads: null };
    this.entries.push(live);
    this.byPid.set(init.pid, live);
    this.changedEntries.add(live);
    return live;
  }

  /** Every change to a process's facts goes through here, so that a live view hears of it. */
  private change(live: LiveEntry, facts: Partial<Omit<ProcessEntry, 'pid' | 'samples' | 'threads'>>): void {
    Object.assign(live.entry, facts);
    this.changedEntries.add(live);
    // Threads that reported no end of their own ended with their process.
    if (facts.endMs !== undefined && facts.endMs !== null && live.threads) {
      live.threads.closeWithProcess(facts.endMs);
      this.threadedEntries.add(live);
    }
  }

  /**
   * The process's thread table, made with its first thread; noted as changed, since every
   * caller is about to change it. The record's entry holds the table's list.
   */
  private threadsOf(live: LiveEntry): ThreadTable {
    if (!live.threads) {
      live.threads = new ThreadTable(this.caps);
      live.entry.threads = live.threads.entries;
    }
    this.threadedEntries.add(live);
    return live.threads;
  }

  private pushSample(live: LiveEntry, sample: ProcessEntry['samples'][number]): void {
    if (live.entry.samples.length < this.caps.samplesPerProcess) {
      live.entry.samples.push(sample);
      this.sampledEntries.add(live);
    } else {
      this.truncatedProcesses = true;
    }
  }
}

/** A process's facts as a live view gets them: without its samples and threads, which go separately. */
function factsOf(live: LiveEntry): ProcessFacts {
  const facts: ProcessFacts & Partial<ProcessEntry> = { ...live.entry, index: live.index };
  delete facts.samples;
  delete facts.threads;
  return facts;
}

function lastSampleTime(entry: ProcessEntry): number | null {
  return entry.samples.length > 0 ? entry.samples[entry.samples.length - 1].t : null;
}
