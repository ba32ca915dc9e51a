// Builds a run's record from what the tracer reports and what the sampler observes.
//
// Two sources describe the same processes: the tracer (exact start/end times, roles, exit
// codes, but only for Python processes it runs in) and the sampler (CPU, memory and core
// for every process of the tree, keyed on pid + start time). A process is one entry;
// a pid that reappears after its entry ended, or with another start time, is a new process.
// Everything is bounded: when a cap is hit the record says `truncated`.

import type { CoreSample, ProcessEntry, ProcessRole } from '../../../shared/runRecord';
import { ActivityBuilder, isActivityRecord, type Activity } from './activityBuilder';
import { childExitFacts, childStartFacts, commandName, isUnknownChild, processStartOf, UnplacedExits } from '../tracer/tracerEvents';
import { LAUNCHER_NAME, RootLauncher } from './rootLauncher';
import { coreSampleOf, processSampleOf, type SamplerTick } from '../sampling/sampler';
import type { TracerRecord } from '../tracer/tracerProtocol';

export interface RecordCaps {
  processes: number;
  samplesPerProcess: number;
  coreSamples: number;
}

export const DEFAULT_CAPS: RecordCaps = {
  processes: 2000,
  // 100 ms ticks: an hour of samples per process and per core.
  samplesPerProcess: 36_000,
  coreSamples: 36_000,
};

interface LiveEntry {
  entry: ProcessEntry;
  /** The sampler's pid + start-time key, once the sampler has seen the process. */
  samplerKey: string | null;
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

  constructor(private readonly caps: RecordCaps = DEFAULT_CAPS) {}

  /** True once any cap was hit. */
  get truncated(): boolean {
    return this.truncatedProcesses || this.activity.truncated;
  }

  /** Locks, messages and tasks, joined across processes. Call once, at the end. */
  finishActivity(): Activity {
    return this.activity.finish();
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
          // The sampler (or the spawn) found it first; the tracer knows it better.
          Object.assign(live.entry, { ppid: record.ppid, role: record.role, name: record.name, traced: true });
          live.entry.startMs = Math.min(live.entry.startMs, processStartOf(record));
        } else if (live && live.entry.endMs === null) {
          // The same process again: a fork child that exec'd a new Python interpreter.
          Object.assign(live.entry, { role: record.role, name: record.name });
        } else {
          this.placeExit(this.create({ pid: record.pid, ppid: record.ppid, role: record.role, name: record.name, startMs: processStartOf(record), traced: true }));
        }
        if (record.startMethod && this.startMethod === null) this.startMethod = record.startMethod;
        break;
      }
      case 'process-role': {
        const live = this.current(record.pid);
        if (live) Object.assign(live.entry, { role: record.role, name: record.name });
        break;
      }
      case 'process-end': {
        const live = this.current(record.pid);
        if (!live) break;
        live.entry.endMs = record.t;
        live.entry.cpuMs = record.cpuMs;
        if (record.exitCode !== null && live.entry.exitCode === null) live.entry.exitCode = record.exitCode;
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
        if (live) Object.assign(live.entry, childExitFacts(live.entry, record));
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
        if (live && live.entry.endMs === null) live.entry.endMs = lastSampleTime(live.entry) ?? tick.t;
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
      if (!live.entry.traced && live.entry.command === undefined) live.entry.command = observed.command;
      seen.add(live);
      this.pushSample(live.entry, processSampleOf(tick.t, observed));
      // Until it ends: then the tracer's figure, taken at its exit, is the last word.
      if (live.entry.endMs === null && observed.cpuTimeMs !== null) live.entry.cpuMs = observed.cpuTimeMs;
    }
    // A process the sampler saw before and no longer sees has ended (the tracer may refine the time).
    for (const live of this.byPid.values()) {
      if (!seen.has(live) && live.samplerKey !== null && live.entry.endMs === null) {
        live.entry.endMs = tick.t;
      }
    }
    const coreSample = coreSampleOf(tick);
    if (coreSample !== null) {
      if (this.coreSamples.length < this.caps.coreSamples) this.coreSamples.push(coreSample);
      else this.truncatedProcesses = true;
    }
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
    live.entry.exitCode = exitCode;
    // The runner saw the main process exit: that time beats a sampler tick's guess.
    live.entry.endMs = t;
    // A launcher exits with its interpreter's exit code: that is the main's, which cannot
    // report its own (the tracer's process-end of a main carries none).
    const launcher = this.rootLauncher.launcher;
    const main = launcher?.launcherPid === pid ? this.current(launcher.mainPid) : undefined;
    if (main && main.entry.exitCode === null) main.entry.exitCode = exitCode;
  }

  /** The processes, each closed at `durationMs` if nothing saw it end. */
  finishProcesses(durationMs: number): ProcessEntry[] {
    for (const { entry } of this.entries) {
      if (entry.endMs === null) entry.endMs = durationMs;
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

  /** The root turned out to be a launcher (rootLauncher.ts): it is listed as such, not as the main. */
  private demoteRoot(): void {
    const root = this.rootLauncher.launcher && this.current(this.rootLauncher.launcher.launcherPid);
    if (root) Object.assign(root.entry, { role: 'other', name: LAUNCHER_NAME });
  }

  private current(pid: number): LiveEntry | undefined {
    return this.byPid.get(pid);
  }

  /** A process the tracer just made known may already have an exit waiting for it. */
  private placeExit(live: LiveEntry | undefined): void {
    const exit = live && this.unplacedExits.take(live.entry.pid, live.entry.startMs);
    if (live && exit) Object.assign(live.entry, childExitFacts(live.entry, exit));
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
    const live: LiveEntry = { entry, samplerKey: null };
    this.entries.push(live);
    this.byPid.set(init.pid, live);
    return live;
  }

  private pushSample(entry: ProcessEntry, sample: ProcessEntry['samples'][number]): void {
    if (entry.samples.length < this.caps.samplesPerProcess) entry.samples.push(sample);
    else this.truncatedProcesses = true;
  }
}

function lastSampleTime(entry: ProcessEntry): number | null {
  return entry.samples.length > 0 ? entry.samples[entry.samples.length - 1].t : null;
}
