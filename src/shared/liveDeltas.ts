// Live mode: a run in progress reaches the panel as small typed deltas, applied to a
// record-shaped object, so one set of views renders both a live run and a finished one.
// The host batches deltas (about every 100 ms); the webview applies a batch at a time.
// They are the record builder's own changes (recordBuilder.ts, drainChanges), so a live run
// shows what its finished record will: an entry the builder corrects later (a lock event
// released by another process, a message paired with its receipt, a task given its submit
// time) is sent again, in full, at its place in the list.

import {
  RUN_RECORD_SCHEMA,
  type ChannelInfo,
  type CoreSample,
  type IpcEvent,
  type LockEvent,
  type LockInfo,
  type ProcessEntry,
  type ProcessSample,
  type RunRecord,
  type TaskRecord,
  type ThreadEntry,
  type ThreadSample,
} from './runRecord';

/** The run's lifecycle as the engine reports it (ProfileRun's states). */
export type LiveRunState = 'starting' | 'running' | 'stopping' | 'finishing' | 'finished';

/** What the panel knows when a run begins. */
export interface LiveRunStart {
  file: string;
  argv: string[];
  python: RunRecord['python'];
  cores: number;
  /** Absent when drawn from a record made before it was recorded. */
  sampling?: RunRecord['sampling'];
  startedAt: string;
}

/**
 * A process's facts without its samples and threads, which go separately; `index` is its
 * place in `processes` (a reused pid is a new index).
 */
export type ProcessFacts = Omit<ProcessEntry, 'samples' | 'threads'> & { index: number };

/** A thread's facts without its samples; `index` is its place in its process's `threads`. */
export type ThreadFacts = Omit<ThreadEntry, 'samples'> & { index: number };

export type LiveDelta =
  | { kind: 'process'; process: ProcessFacts }
  | { kind: 'samples'; index: number; samples: ProcessSample[] }
  /** A thread of process `index`, new or changed; its process came in an earlier delta. */
  | { kind: 'thread'; index: number; thread: ThreadFacts }
  /** New samples of thread `thread` of process `index`. */
  | { kind: 'thread-samples'; index: number; thread: number; samples: ThreadSample[] }
  | { kind: 'core-samples'; samples: CoreSample[] }
  | { kind: 'locks'; locks: LockInfo[] }
  /** Rows `from`, `from + 1`, ... of the record's list: new ones at its end, or replacements of earlier ones. */
  | { kind: 'lock-events'; from: number; events: LockEvent[] }
  | { kind: 'channels'; channels: ChannelInfo[] }
  | { kind: 'ipc-events'; from: number; events: IpcEvent[] }
  | { kind: 'tasks'; from: number; tasks: TaskRecord[] }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'warning'; message: string }
  /** `t` is the run time when the state was entered; the timeline's axis grows with it. */
  | { kind: 'state'; state: LiveRunState; t: number; exitCode?: number | null };

/** A record with nothing in it yet, which deltas then fill. */
export function emptyLiveRecord(run: LiveRunStart): RunRecord {
  return {
    schema: RUN_RECORD_SCHEMA,
    file: run.file,
    argv: run.argv,
    python: run.python,
    startMethod: null,
    exitCode: null,
    exitSignal: null,
    outcome: 'exited',
    durationMs: 0,
    cores: run.cores,
    ...(run.sampling ? { sampling: run.sampling } : {}),
    truncated: false,
    startedAt: run.startedAt,
    processes: [],
    coreSamples: [],
    locks: [],
    lockEvents: [],
    channels: [],
    ipcEvents: [],
    tasks: [],
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    warnings: [],
    events: { received: 0, malformed: 0, unauthenticated: 0 },
  };
}

/** Applies deltas in order, in place; returns the latest run state seen, if any. */
export function applyDeltas(record: RunRecord, deltas: readonly LiveDelta[]): LiveRunState | null {
  let state: LiveRunState | null = null;
  const later = (t: number): void => {
    if (t > record.durationMs) record.durationMs = t;
  };
  for (const delta of deltas) {
    switch (delta.kind) {
      case 'process': {
        const { index, ...facts } = delta.process;
        const known = record.processes[index];
        record.processes[index] = { ...facts, samples: known?.samples ?? [], ...(known?.threads ? { threads: known.threads } : {}) };
        later(facts.endMs ?? facts.startMs);
        break;
      }
      case 'samples': {
        const entry = record.processes[delta.index];
        if (!entry) break;
        for (const sample of delta.samples) entry.samples.push(sample);
        later(delta.samples[delta.samples.length - 1]?.t ?? 0);
        break;
      }
      case 'thread': {
        const entry = record.processes[delta.index];
        if (!entry) break;
        const { index, ...facts } = delta.thread;
        entry.threads ??= [];
        placeRows(entry.threads, index, [{ ...facts, samples: entry.threads[index]?.samples ?? [] }]);
        break;
      }
      case 'thread-samples': {
        const thread = record.processes[delta.index]?.threads?.[delta.thread];
        if (!thread) break;
        for (const sample of delta.samples) thread.samples.push(sample);
        break;
      }
      case 'core-samples':
        for (const sample of delta.samples) {
          record.coreSamples.push(sample);
          // The host may start a run before it has counted the cores.
          record.cores = Math.max(record.cores, sample.usage.length);
        }
        later(delta.samples[delta.samples.length - 1]?.t ?? 0);
        break;
      case 'locks':
        upsertById(record.locks, delta.locks);
        break;
      case 'lock-events':
        placeRows(record.lockEvents, delta.from, delta.events);
        for (const event of delta.events) later(event.releasedMs ?? event.acquiredMs ?? event.requestMs);
        break;
      case 'channels':
        upsertById(record.channels, delta.channels);
        break;
      case 'ipc-events':
        placeRows(record.ipcEvents, delta.from, delta.events);
        for (const event of delta.events) later(event.t);
        break;
      case 'tasks':
        placeRows(record.tasks, delta.from, delta.tasks);
        for (const task of delta.tasks) later(task.endMs);
        break;
      case 'output':
        if (delta.stream === 'stdout') record.stdout += delta.text;
        else record.stderr += delta.text;
        break;
      case 'warning':
        if (!record.warnings.includes(delta.message)) record.warnings.push(delta.message);
        break;
      case 'state':
        state = delta.state;
        later(delta.t);
        if (delta.exitCode !== undefined) record.exitCode = delta.exitCode;
        break;
    }
  }
  return state;
}

/** Rows the host numbered: a batch starts within the list or right at its end, never past it. */
function placeRows<T>(list: T[], from: number, rows: readonly T[]): void {
  if (from > list.length) throw new RangeError(`Rows from ${from} would leave a gap after row ${list.length - 1}.`);
  rows.forEach((row, i) => (list[from + i] = row));
}

function upsertById<T extends { id: string }>(list: T[], items: readonly T[]): void {
  for (const item of items) {
    const at = list.findIndex((known) => known.id === item.id);
    if (at >= 0) list[at] = item;
    else list.push(item);
  }
}
