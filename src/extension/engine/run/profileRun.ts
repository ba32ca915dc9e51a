// One profiling run of a Python program, from request to finished record.
//
// The run is a small state machine:
//
//   starting ──spawned──▶ running ──program exited──────────────────▶ finishing ──▶ finished
//                            │                                             ▲
//                            └──stop() or timeout──▶ stopping ──tree gone──┘
//
//   starting   the file and the interpreter are checked, the event server opens, Python is
//              spawned with the tracer on its path. A problem here throws a UserFacingError.
//   running    tracer records and sampler ticks flow into the record builder; output streams.
//   stopping   the whole tree is being ended: SIGTERM, then SIGKILL after the grace period.
//   finishing  leftovers are ended, the sampler stops, the event socket is drained.
//   finished   the record is complete and `finished` resolves with it.
//
// A live view (the panel) asks for deltas with `live: true` and drains them as the run goes:
// the record builder's changes, then the program's output and the states entered since.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ActivityView } from '../../../shared/lineActivity';
import type { LiveDelta, LiveRunStart } from '../../../shared/liveDeltas';
import { RUN_RECORD_SCHEMA, type LockEventList, type RunOutcome, type RunRecord, type StartMethod } from '../../../shared/runRecord';
import { UserFacingError } from './errors';
import { EventServer } from '../tracer/eventServer';
import { resolvePython, type PythonInfo } from '../interpreter/pythonInterpreter';
import { utf8StdioVariables } from '../interpreter/pythonStdio';
import { DEFAULT_CAPS, RunRecordBuilder } from '../record/recordBuilder';
import { RunClock } from './runClock';
import { Runner, type RootExit, type StdinMode } from './runner';
import { Sampler, type SamplerTick } from '../sampling/sampler';
import { TRACER_ENV, type TracerRecord } from '../tracer/tracerProtocol';
import { aggregationWarnings } from './aggregationWarnings';
import { otherTracerVersionWarning } from './otherTracerVersion';
import { silentTracerWarning } from './silentTracer';
import { warningsFromStderr } from './stderrWarnings';
import { userCacheDir } from '../storage/userCache';

export type RunState = 'starting' | 'running' | 'stopping' | 'finishing' | 'finished';

export interface RunRequest {
  file: string;
  args?: string[];
  /** Interpreter to use; by default python3, then python, from PATH. */
  python?: string;
  startMethod?: StartMethod;
  /** Sampling interval; 100 ms by default. */
  intervalMs?: number;
  /** Stop the run after this long; no limit by default. */
  timeoutMs?: number;
  maxOutputChars?: number;
  /** Time between SIGTERM and SIGKILL when a run is stopped. */
  stopGraceMs?: number;
  /** The program's standard input (see StdinMode); 'ignore' by default. */
  stdin?: StdinMode;
  /**
   * Keep what a live view needs besides the record (output and states) for drainLiveDeltas.
   * Off by default: a run nobody watches keeps no second copy of its output.
   */
  live?: boolean;
}

export interface RunObserver {
  onState?(state: RunState): void;
  /** The program was spawned: the run's root process, before any tick or tracer record. */
  onRoot?(root: { pid: number; ppid: number; command: string }): void;
  /** `bytes` as the program wrote them; `text` decoded as UTF-8, as the record keeps it. */
  onOutput?(stream: 'stdout' | 'stderr', text: string, bytes: Buffer): void;
  onTick?(tick: SamplerTick): void;
  onTracerRecord?(record: TracerRecord): void;
}

const DEFAULTS = { intervalMs: 100, maxOutputChars: 1 << 20, stopGraceMs: 1500 };

/** runtimes/python, found next to the bundle (dist/) or the compiled sources (out/src/...). */
export function pythonRuntimeDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'runtimes', 'python'), path.resolve(__dirname, '..', '..', '..', '..', '..', 'runtimes', 'python')];
  return candidates.find((dir) => existsSync(path.join(dir, 'sitecustomize.py'))) ?? candidates[0];
}

export class ProfileRun {
  private currentState: RunState = 'starting';
  private stopReason: RunOutcome | null = null;
  private stopping: Promise<void> | null = null;
  private timeoutTimer: NodeJS.Timeout | undefined;
  /** The record; its lock events are columns, made into objects only as they are read. */
  readonly finished: Promise<RunRecord<LockEventList>>;

  private constructor(
    private readonly request: Required<Pick<RunRequest, 'file'>> & RunRequest,
    private readonly python: PythonInfo,
    private readonly clock: RunClock,
    private readonly builder: RunRecordBuilder,
    private readonly events: EventServer,
    private readonly runner: Runner,
    private readonly sampler: Sampler,
    private readonly observer: RunObserver,
    /** Output and states not yet drained; null unless the request asked for live deltas. */
    private readonly liveQueue: LiveDelta[] | null,
  ) {
    this.setState('running');
    if (request.timeoutMs !== undefined) {
      this.timeoutTimer = setTimeout(() => void this.stopAs('timed-out'), request.timeoutMs);
    }
    this.finished = this.finish();
  }

  static async start(request: RunRequest, observer: RunObserver = {}): Promise<ProfileRun> {
    observer.onState?.('starting');
    const file = path.resolve(request.file);
    await checkProgramFile(file);
    const python = await resolvePython(request.python);

    const builder = new RunRecordBuilder(DEFAULT_CAPS);
    const clock = new RunClock();
    const liveQueue: LiveDelta[] | null = request.live ? [] : null;
    const events = await EventServer.open(
      clock,
      (record) => {
        builder.applyTracerRecord(record);
        observer.onTracerRecord?.(record);
      },
      { opened: (pid) => builder.connectionOpened(pid), read: (pid) => builder.connectionRead(pid) },
    );
    let runner: Runner;
    try {
      runner = await Runner.start({
        executable: python.executable,
        args: [file, ...(request.args ?? [])],
        cwd: path.dirname(file),
        env: tracedEnvironment(events, python, request.startMethod),
        maxOutputChars: request.maxOutputChars ?? DEFAULTS.maxOutputChars,
        stopGraceMs: request.stopGraceMs ?? DEFAULTS.stopGraceMs,
        knownPids: () => builder.livePids(),
        stdin: request.stdin,
        onOutput: (stream, text, bytes) => {
          if (liveQueue) queueOutput(liveQueue, stream, text);
          observer.onOutput?.(stream, text, bytes);
        },
      });
    } catch (error) {
      await events.close(0);
      throw error;
    }
    const root = { pid: runner.pid, ppid: process.pid, command: `${python.executable} ${file}` };
    builder.addRoot(root.pid, root.ppid, root.command);
    observer.onRoot?.(root);
    const sampler = new Sampler({
      rootPid: runner.pid,
      intervalMs: request.intervalMs ?? DEFAULTS.intervalMs,
      clock,
      extraPids: () => builder.livePids(),
      // The sampler stops reading a process fast before its threads reach the record's cap.
      fastThreads: { readsPerProcess: DEFAULT_CAPS.fastSamplesPerThread, onReading: (reading) => builder.applyStoveReading(reading) },
      onTick: (tick) => {
        builder.applySamplerTick(tick);
        observer.onTick?.(tick);
      },
    });
    sampler.start();
    return new ProfileRun({ ...request, file }, python, clock, builder, events, runner, sampler, observer, liveQueue);
  }

  get state(): RunState {
    return this.currentState;
  }

  /** What a live view needs to begin rendering this run. */
  liveStart(): LiveRunStart {
    return {
      file: this.request.file,
      argv: this.request.args ?? [],
      python: this.pythonFacts(),
      cores: os.cpus().length,
      sampling: this.sampler.facts,
      startedAt: this.clock.startedAt.toISOString(),
    };
  }

  private pythonFacts(): RunRecord['python'] {
    return { executable: this.python.executable, version: this.python.version, gilEnabled: this.python.gilEnabled };
  }

  /** Everything that changed since the previous call (about every 100 ms); needs `live: true` in the request. */
  drainLiveDeltas(): LiveDelta[] {
    if (!this.liveQueue) throw new Error('drainLiveDeltas needs a run started with live: true.');
    return [...this.builder.drainChanges(), ...this.liveQueue.splice(0)];
  }

  /**
   * Locks, messages and tasks so far, joined across processes, for figures shown while the
   * run goes on. Costs a pass over the events: call it at a human pace, not per event.
   */
  activitySnapshot(): ActivityView {
    return { file: this.request.file, durationMs: this.clock.nowMs(), ...this.builder.finishActivity() };
  }

  /** Sends input to the program, when the request asked for stdin 'pipe'. */
  writeInput(text: string): void {
    this.runner.writeInput(text);
  }

  /** Ends the program's input (end-of-file), when the request asked for stdin 'pipe'. */
  endInput(): void {
    this.runner.endInput();
  }

  /** Ends the whole process tree. The record is still produced, with outcome "stopped". */
  stop(): Promise<void> {
    return this.stopAs('stopped');
  }

  private stopAs(reason: RunOutcome): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.currentState !== 'running') return Promise.resolve();
    this.stopReason = reason;
    this.builder.stopBegan();
    this.setState('stopping');
    this.stopping = this.runner.stop();
    return this.stopping;
  }

  private async finish(): Promise<RunRecord<LockEventList>> {
    const exit: RootExit = await this.runner.rootExit;
    const durationMs = this.clock.nowMs();
    clearTimeout(this.timeoutTimer);
    if (this.stopping) await this.stopping;
    this.setState('finishing');

    const leftovers = (await this.runner.endLeftovers()).filter((pid) => !this.isMultiprocessingHelper(pid));
    if (leftovers.length > 0 && !this.stopReason) {
      this.builder.addWarning(
        `The program ended while ${leftovers.length} of its processes were still running; Parallel Lab stopped them (pids ${leftovers.join(', ')}).`,
      );
    }
    await this.sampler.stop();
    await this.events.close();
    const output = await this.runner.output();
    this.builder.setRootExit(this.runner.pid, exit.exitCode, durationMs);

    const outcome: RunOutcome = this.stopReason ?? 'exited';
    if (outcome === 'timed-out') {
      this.builder.addWarning(`The run was stopped because it went past its time limit of ${formatSeconds(this.request.timeoutMs ?? 0)}.`);
    }
    // A tracer of another version did report: the silence warning would blame PYTHONPATH.
    const tracerWarning =
      otherTracerVersionWarning(this.events.otherTracerVersions) ?? silentTracerWarning(this.events.tracerConnected, outcome, durationMs);
    if (tracerWarning) this.builder.addWarning(tracerWarning);
    for (const warning of warningsFromStderr(output.stderr, this.request.file)) this.builder.addWarning(warning);
    this.builder.finishTasks(durationMs, outcome !== 'exited');
    const activity = this.builder.finishActivity();
    for (const warning of aggregationWarnings(activity.locks, activity.aggregatedLocks)) this.builder.addWarning(warning);
    const dropped = this.events.counts.malformed + this.events.counts.unauthenticated;
    if (dropped > 0) {
      this.builder.addWarning(`${dropped} messages on the run's event channel were malformed or unauthenticated and were ignored.`);
    }

    const record: RunRecord<LockEventList> = {
      schema: RUN_RECORD_SCHEMA,
      file: this.request.file,
      argv: this.request.args ?? [],
      python: this.pythonFacts(),
      startMethod: (this.builder.getStartMethod() ?? this.request.startMethod ?? null) as StartMethod | null,
      exitCode: exit.exitCode,
      exitSignal: exit.signal,
      outcome,
      durationMs,
      cores: os.cpus().length,
      sampling: this.sampler.facts,
      truncated: this.builder.truncated || output.stdoutTruncated || output.stderrTruncated,
      startedAt: this.clock.startedAt.toISOString(),
      processes: this.builder.finishProcesses(durationMs),
      coreSamples: this.builder.getCoreSamples(),
      locks: activity.locks,
      lockEvents: activity.lockEvents,
      channels: activity.channels,
      ipcEvents: activity.ipcEvents,
      tasks: activity.tasks,
      ...output,
      warnings: this.builder.getWarnings(),
      events: { ...this.events.counts },
    };
    this.setState('finished', exit.exitCode);
    return record;
  }

  /** The resource tracker and the forkserver outlive the main process by design, briefly. */
  private isMultiprocessingHelper(pid: number): boolean {
    const entry = this.builder.describe(pid);
    return entry?.role === 'other' && entry.traced;
  }

  private setState(state: RunState, exitCode?: number | null): void {
    this.currentState = state;
    this.liveQueue?.push({ kind: 'state', state, t: this.clock.nowMs(), ...(exitCode !== undefined ? { exitCode } : {}) });
    this.observer.onState?.(state);
  }
}

async function checkProgramFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new UserFacingError(`The file ${file} does not exist; check the path and try again.`);
  if (!info.isFile()) throw new UserFacingError(`${file} is not a file; give the path of a Python (.py) file.`);
  if (path.extname(file).toLowerCase() !== '.py') {
    throw new UserFacingError(`${path.basename(file)} is not a Python file; Parallel Lab runs .py files.`);
  }
}

/**
 * The environment of a profiled program: the tracer on PYTHONPATH, its endpoint, the
 * bytecode cache, and UTF-8 output where the interpreter would not write it by itself.
 */
export function tracedEnvironment(events: EventServer, python: PythonInfo, startMethod: StartMethod | undefined): NodeJS.ProcessEnv {
  const inherited = process.env.PYTHONPATH;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONPATH: inherited ? `${pythonRuntimeDir()}${path.delimiter}${inherited}` : pythonRuntimeDir(),
    ...events.tracerVariables,
    ...utf8StdioVariables(python.stdioEncoding, process.env),
  };
  if (process.env.PYTHONPYCACHEPREFIX === undefined) {
    // A run never changes the learner's files: bytecode goes to our cache, not to
    // __pycache__ folders next to their modules (and the tracer's own is cached there too).
    env.PYTHONPYCACHEPREFIX = path.join(userCacheDir(), 'pycache');
    // With a prefix Python no longer reads the __pycache__ folders beside the standard
    // library either, so under PYTHONDONTWRITEBYTECODE every interpreter of every run would
    // compile each module it imports from source (about 40 ms for multiprocessing alone).
    // Writing only into our cache keeps what that setting is for.
    delete env.PYTHONDONTWRITEBYTECODE;
  }
  if (startMethod) env[TRACER_ENV.startMethod] = startMethod;
  return env;
}

/** Output as a live view gets it: a stream's consecutive pieces in one delta. */
function queueOutput(queue: LiveDelta[], stream: 'stdout' | 'stderr', text: string): void {
  const last = queue[queue.length - 1];
  if (last?.kind === 'output' && last.stream === stream) last.text += text;
  else queue.push({ kind: 'output', stream, text });
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
