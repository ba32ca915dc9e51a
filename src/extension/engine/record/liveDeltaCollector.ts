// Host side of live mode: turns the engine's events (sampler ticks, tracer records, output,
// state) into LiveDeltas, and hands them out in batches with `drain()`, which the panel host
// calls about every 100 ms. It keeps only what it needs to describe changes: the process
// facts, and each process's interned source sites.
//
// Live deltas are a preview; the finished record (sent at the end) is the truth. So what
// only the end of a run can join is left to it: releases of a lock by another process,
// pairing of messages with their receipts (arrows), pool submit times, aggregated counts.

import type { LiveDelta, LiveRunStart, LiveRunState, ProcessFacts } from '../../../shared/liveDeltas';
import type { ProcessSample } from '../../../shared/runRecord';
import { LAUNCHER_NAME, RootLauncher } from './rootLauncher';
import { coreSampleOf, processSampleOf, type SamplerTick } from '../sampling/sampler';
import { childExitFacts, childStartFacts, commandName, ipcEventOf, isUnknownChild, lockEventOf, processStartOf, SiteTable, taskOf, UnplacedExits } from '../tracer/tracerEvents';
import type { TracerRecord } from '../tracer/tracerProtocol';

export class LiveDeltaCollector {
  private readonly processes: ProcessFacts[] = [];
  /** The newest process for each pid. */
  private readonly byPid = new Map<number, ProcessFacts>();
  private readonly sampledLastTick = new Set<number>();
  private readonly sampledEver = new Set<number>();
  private readonly sites = new SiteTable();
  private readonly changedProcesses = new Set<number>();
  private readonly samples = new Map<number, ProcessSample[]>();
  private readonly unplacedExits = new UnplacedExits();
  private readonly rootLauncher = new RootLauncher();
  private pending: LiveDelta[] = [];
  /** The latest run time seen, for state changes (which carry no time of their own). */
  private latestMs = 0;
  private cores = 0;

  /** What the panel needs to begin rendering this run. */
  runStart(file: string, argv: string[] = []): LiveRunStart {
    return { file, argv, cores: this.cores, startedAt: new Date().toISOString() };
  }

  /** The process the host spawned, listed as the record builder lists it: the main, from the run's start. */
  addRoot(pid: number, ppid: number, command: string): void {
    this.rootLauncher.setRoot(pid);
    this.create({ pid, ppid, role: 'main', name: 'MainProcess', startMs: 0, traced: false, command });
  }

  onTick(tick: SamplerTick): void {
    this.latestMs = Math.max(this.latestMs, tick.t);
    this.cores = Math.max(this.cores, tick.coreUsage.length);
    const seen = new Set<number>();
    for (const observed of tick.processes) {
      let facts = this.byPid.get(observed.pid);
      // Sampled before, ended, missing from the last tick and here again: the pid was reused.
      const reused = facts !== undefined && facts.endMs !== null && this.sampledEver.has(facts.index) && !this.sampledLastTick.has(facts.index);
      if (!facts || reused) {
        facts = this.create({ pid: observed.pid, ppid: observed.ppid, name: commandName(observed.command), role: 'other', startMs: tick.t, traced: false, command: observed.command });
      }
      seen.add(facts.index);
      this.sampledEver.add(facts.index);
      const list = this.samples.get(facts.index) ?? [];
      list.push(processSampleOf(tick.t, observed));
      this.samples.set(facts.index, list);
      // As the record builder does: the sampler's CPU time until the process ends.
      if (facts.endMs === null && observed.cpuTimeMs !== null && observed.cpuTimeMs !== facts.cpuMs) this.update(facts, { cpuMs: observed.cpuTimeMs });
    }
    // Seen at the previous tick and gone now: ended (the tracer may refine the time).
    for (const index of this.sampledLastTick) {
      const facts = this.processes[index];
      if (!seen.has(index) && facts.endMs === null) this.update(facts, { endMs: tick.t });
    }
    this.sampledLastTick.clear();
    for (const index of seen) this.sampledLastTick.add(index);
    const coreSample = coreSampleOf(tick);
    if (coreSample !== null) this.pending.push({ kind: 'core-samples', samples: [coreSample] });
  }

  onTracerRecord(record: TracerRecord): void {
    switch (record.type) {
      case 'process-start': {
        // As in the record: a root that only launched the real interpreter is listed as a launcher.
        const launcher = this.rootLauncher.reveals(record) ? this.byPid.get(record.ppid) : undefined;
        if (launcher) this.update(launcher, { role: 'other', name: LAUNCHER_NAME });
        const known = this.byPid.get(record.pid);
        const facts = { ppid: record.ppid, role: record.role, name: record.name, traced: true };
        if (known && known.endMs === null) this.update(known, { ...facts, startMs: Math.min(known.startMs, processStartOf(record)) });
        else this.placeExit(this.create({ pid: record.pid, startMs: processStartOf(record), ...facts }));
        break;
      }
      case 'process-role': {
        const known = this.byPid.get(record.pid);
        if (known) this.update(known, { role: record.role, name: record.name });
        break;
      }
      case 'process-end': {
        const known = this.byPid.get(record.pid);
        if (known) this.update(known, { endMs: record.t, cpuMs: record.cpuMs, exitCode: known.exitCode ?? record.exitCode });
        break;
      }
      case 'child-start': {
        if (isUnknownChild(this.byPid.get(record.pid), record)) this.placeExit(this.create(childStartFacts(record)));
        break;
      }
      case 'child-exit': {
        const known = this.byPid.get(record.pid);
        if (known) this.update(known, childExitFacts(known, record));
        else this.unplacedExits.hold(record);
        break;
      }
      case 'warning':
        this.pending.push({ kind: 'warning', message: record.message });
        break;
      case 'site':
        this.sites.define(record);
        break;
      case 'lock-new':
        this.pending.push({
          kind: 'locks',
          locks: [{ id: record.lock, kind: record.kind, api: record.api, internal: record.internal, site: this.sites.get(record.pid, record.site) }],
        });
        break;
      case 'lock-batch':
        this.pending.push({ kind: 'lock-events', events: record.events.map((tuple) => lockEventOf(record.pid, tuple, this.sites)) });
        break;
      case 'channel-new':
        this.pending.push({
          kind: 'channels',
          channels: [{ id: record.channel, kind: record.kind, api: record.api, internal: record.internal, site: this.sites.get(record.pid, record.site) }],
        });
        break;
      case 'ipc-batch':
        this.pending.push({ kind: 'ipc-events', events: record.events.map((tuple) => ipcEventOf(record.pid, tuple, this.sites)) });
        break;
      case 'task-batch':
        this.pending.push({ kind: 'tasks', tasks: record.events.map((tuple) => taskOf(record.pid, tuple, this.sites)) });
        break;
      // Joined only at the end of the run (see the header): the finished record carries them.
      case 'lock-release':
      case 'lock-open':
      case 'lock-stats':
      case 'task-submit':
      case 'start-method':
        break;
      // The scaling lab's (harnessRun.ts): nothing the panel shows.
      case 'scale-report':
        break;
    }
  }

  onOutput(stream: 'stdout' | 'stderr', text: string): void {
    const last = this.pending[this.pending.length - 1];
    if (last?.kind === 'output' && last.stream === stream) last.text += text;
    else this.pending.push({ kind: 'output', stream, text });
  }

  onState(state: LiveRunState, t: number = this.latestMs): void {
    this.pending.push({ kind: 'state', state, t });
  }

  /** Everything that changed since the previous call, in an order the webview can apply. */
  drain(): LiveDelta[] {
    const batch: LiveDelta[] = [];
    for (const index of this.changedProcesses) batch.push({ kind: 'process', process: { ...this.processes[index] } });
    for (const [index, samples] of this.samples) batch.push({ kind: 'samples', index, samples });
    batch.push(...this.pending);
    this.changedProcesses.clear();
    this.samples.clear();
    this.pending = [];
    return batch;
  }

  private create(init: Pick<ProcessFacts, 'pid' | 'ppid' | 'name' | 'role' | 'startMs' | 'traced'> & { command?: string }): ProcessFacts {
    const facts: ProcessFacts = { ...init, endMs: null, exitCode: null, cpuMs: null, index: this.processes.length };
    this.processes.push(facts);
    this.byPid.set(facts.pid, facts);
    this.changedProcesses.add(facts.index);
    return facts;
  }

  private update(facts: ProcessFacts, change: Partial<Omit<ProcessFacts, 'index' | 'pid'>>): void {
    Object.assign(facts, change);
    this.changedProcesses.add(facts.index);
  }

  /** A process the tracer just made known may already have an exit waiting for it. */
  private placeExit(facts: ProcessFacts): void {
    const exit = this.unplacedExits.take(facts.pid, facts.startMs);
    if (exit) this.update(facts, childExitFacts(facts, exit));
  }

}
