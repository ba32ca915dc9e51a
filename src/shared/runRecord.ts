// The run record: one JSON document per run (file format `parallel-lab/run@1`).
// Field names are a contract shared with saved files and the webview: add fields freely,
// rename none. Times are milliseconds since the run started, on the host's monotonic clock
// (the tracer's times are moved onto it, whatever clock Python reads: tracerClocks.ts).

export const RUN_RECORD_SCHEMA = 'parallel-lab/run@1';

/**
 * What a process is to the run. The tracer reports it (its wire.py has the same list, checked
 * by test/unit/wireContract.test.ts); a Manager()'s server process is 'manager'; other helpers
 * (resource tracker, forkserver), Pythons the program starts itself and processes the tracer
 * never heard from are 'other', told apart by their names.
 */
export const PROCESS_ROLES = ['main', 'process', 'pool-worker', 'manager', 'other'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export const START_METHODS = ['fork', 'spawn', 'forkserver'] as const;
export type StartMethod = (typeof START_METHODS)[number];

export interface ProcessSample {
  t: number;
  /**
   * Percent of ONE core (0..100 × threads) since the previous sample, over the real time
   * between the two readings. A process's first sample: since it began, on Linux; 0 elsewhere.
   */
  cpu: number;
  rssBytes: number;
  /** The logical CPU the process last ran on, or null where the platform does not say. */
  core: number | null;
  /**
   * Linux: ms its threads were ready to run but waited for a free core since the previous
   * sample (added up over its threads). Absent where the platform does not say.
   */
  runQueueMs?: number;
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  name: string;
  role: ProcessRole;
  startMs: number;
  endMs: number | null;
  exitCode: number | null;
  /**
   * CPU time (user + system): what the process reported at exit when the tracer saw it
   * exit, else what the sampler last read; null when neither knows.
   */
  cpuMs: number | null;
  /** True when the Python tracer reported this process; false when only the sampler found it. */
  traced: boolean;
  /** The command line, for processes the tracer did not see (a `subprocess` child, say). */
  command?: string;
  samples: ProcessSample[];
  /**
   * The process's threads, the main thread first. Absent in records made before threads were
   * recorded, and where neither the tracer nor the platform says (an empty list is never
   * written for a process that ran: it had at least its main thread).
   */
  threads?: ThreadEntry[];
}

/**
 * What a thread was doing over the interval that ends at a sample, as far as the platform says:
 * - `running`: on a core;
 * - `waiting-for-gil`: ready to run Python code but waiting for the process's GIL (inferred:
 *   see the README's "How the GIL wait is read");
 * - `waiting-for-core`: ready, waiting for a free core (other programs', or the run's own);
 * - `waiting`: blocked in the kernel for something else (a lock, I/O, a sleep, a child);
 * - `unknown`: the platform does not say.
 */
export const THREAD_STATES = ['running', 'waiting-for-gil', 'waiting-for-core', 'waiting', 'unknown'] as const;
export type ThreadState = (typeof THREAD_STATES)[number];

/**
 * One thread over the interval since its previous sample (for its first, since it began or
 * was first read). Two rates (see RunRecord.sampling): every `intervalMs`, and, while two or
 * more threads of its process want to run, every `fastThreadIntervalMs` (the fast samples,
 * the only ones with `gilWaitMs`).
 *
 * `ranMs`, `coreWaitMs`, `gilWaitMs` and `waitingMs` say how the interval was spent, in ms (to
 * the µs): those present add up to it. Linux only; absent elsewhere and in records made before
 * they were recorded. A thread's shares of a stretch of time are sums of these over its
 * samples (threadShares.ts), not counts of samples by state.
 */
export interface ThreadSample {
  t: number;
  /** Percent of one core the thread used since its previous sample. */
  cpu: number;
  /** The state that took most of the interval. */
  state: ThreadState;
  /** On a core. */
  ranMs?: number;
  /** Ready to run, waiting for a free core. */
  coreWaitMs?: number;
  /**
   * Ready to run Python code, asleep waiting for the process's GIL (see `waiting-for-gil`).
   * Only fast samples have it (0 when there was no such wait); in the others such a wait,
   * if any, is part of `waitingMs`.
   */
  gilWaitMs?: number;
  /** Asleep for anything else: a lock, I/O, a sleep, a child. */
  waitingMs?: number;
}

export interface ThreadEntry {
  /** The native thread id: the one /proc and threading.get_native_id() use; lockEvents' tid. */
  tid: number;
  /**
   * The threading.Thread name the tracer reported ("MainThread", "chef-1"), or the OS's name
   * for a thread Python did not start.
   */
  name: string;
  /** True when the tracer reported it (a thread Python started); false: only the sampler saw it. */
  python: boolean;
  startMs: number;
  endMs: number | null;
  /**
   * CPU time (user + system) the thread used: its own figure at its end where the tracer saw
   * it end (time.thread_time), else what the sampler last read; null when neither knows.
   */
  cpuMs: number | null;
  /**
   * Linux: one per sample the thread was read at (a process idle since the previous tick is
   * not read; the next sample covers the gap), at the fast rate while its process was read
   * fast (RunRecord.sampling). Empty where the platform does not say (macOS,
   * Windows) and on kernels without scheduler statistics.
   */
  samples: ThreadSample[];
}

export interface CoreSample {
  t: number;
  /** Percent busy per logical core since the previous sample: the whole machine, every program. */
  usage: number[];
  /**
   * The run's own percent of each core (its processes' threads, at the core each ran on);
   * `usage` minus this is other programs'. Absent where the platform does not say which
   * core a process ran on (then only `runTotal` is known), and in records made before it.
   */
  run?: number[];
  /** The run's own CPU in percent of ONE core, all cores together. Absent in older records. */
  runTotal?: number;
}

export interface SourceSite {
  file: string;
  line: number;
  function?: string;
}

export type LockKind = 'Lock' | 'RLock' | 'Semaphore' | 'BoundedSemaphore' | 'Condition' | 'Event' | 'Barrier';

export interface LockInfo {
  /** Stable across processes: the semaphore's name, or an id the tracer carries through pickling. */
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the kinds known today, and any a newer tracer reports
  kind: LockKind | string;
  /**
   * How the learner made it, e.g. "Lock", "Value.get_lock", "Array.get_lock", "Condition";
   * "Condition.wait" for the waits for notify of a Condition (id: its lock's id + "/wait"),
   * which are waits for a signal, like those of an Event or a Barrier (signalOf in
   * learnerNames.ts).
   */
  api: string;
  /**
   * As the learner's code names it, read from the line that made it: "lock", "self.lock",
   * "counter.get_lock()" (the lock of `counter = Value(...)`). Absent when that line names
   * nothing: views then say what it is and where it was made (lockLabels in learnerNames.ts).
   */
  name?: string;
  /** Made inside the standard library (a Queue's own lock, a pool's): hidden by default. */
  internal: boolean;
  site: SourceSite | null;
  /**
   * Present when the tracer switched this lock to aggregated counts because of its rate:
   * cycles from then on are in these totals, not in lockEvents.
   */
  aggregated?: LockAggregate;
}

export interface LockAggregate {
  sinceMs: number;
  acquisitions: number;
  totalWaitMs: number;
  maxWaitMs: number;
  totalHoldMs: number;
  /** Counts per bucket; bucket upper bounds in `bucketsMs` (the last bucket is open). */
  waitHistogram: number[];
  holdHistogram: number[];
  bucketsMs: number[];
}

export interface LockEvent {
  lock: string;
  pid: number;
  /** The native id of the thread that asked (threads[].tid). */
  tid?: number;
  requestMs: number;
  /** null: the acquire failed, timed out, or was still waiting when the run ended. */
  acquiredMs: number | null;
  /** null: never released (still held at the end, or failed to acquire). */
  releasedMs: number | null;
  /** The process that released it, when not the one that acquired it. */
  releasedBy?: number;
  site: SourceSite | null;
}

/**
 * Lock events as code that reads them in order sees them. A record file, a reopened record and
 * the webview hold an array; the host that has just profiled a run holds columns
 * (src/extension/engine/record/lockEventColumns.ts) and makes each object as it is read.
 */
export interface LockEventList extends Iterable<LockEvent> {
  readonly length: number;
}

export interface IpcEvent {
  channel: string;
  kind: 'queue' | 'pipe';
  op: 'put' | 'get' | 'send' | 'recv';
  pid: number;
  t: number;
  waitMs: number;
  bytes: number;
  site: SourceSite | null;
  /** Pairs a put/send with its get/recv, so a view can draw an arrow. */
  message?: string;
}

export interface ChannelInfo {
  id: string;
  kind: 'queue' | 'pipe';
  /** e.g. "Queue", "SimpleQueue", "JoinableQueue", "Pipe". */
  api: string;
  /**
   * As the learner's code names it: "results" for `results = Queue()`, "parent_end ↔ child_end"
   * for `parent_end, child_end = Pipe()` ("reader ← writer" for a one-way Pipe). Absent when
   * not read (channelLabels in learnerNames.ts).
   */
  name?: string;
  internal: boolean;
  site: SourceSite | null;
}

export interface TaskRecord {
  pool: string;
  pid: number;
  fn: string;
  /** 1, or the number of items of a map chunk. */
  items: number;
  submitMs?: number;
  startMs: number;
  endMs: number;
  ok: boolean;
  site: SourceSite | null;
  /**
   * Only on a task that never finished because its worker ended while running it (the task
   * killed it: os._exit, a segfault, the OOM killer; or the pool ended it): that worker's
   * exit code, negative for a signal, null when unknown. Such a task has ok false and ends
   * when its worker did; a warning says what happened.
   */
  workerExitCode?: number | null;
}

/**
 * The record. Its lock events are an array, as in the file, unless a reader says it takes any
 * LockEventList (`RunRecord<LockEventList>`): the host's record of a run it profiled has
 * them as columns.
 */
export interface RunRecord<LockEvents extends LockEventList = LockEvent[]> {
  schema: typeof RUN_RECORD_SCHEMA;
  file: string;
  argv: string[];
  /**
   * gilEnabled: sys._is_gil_enabled() where that exists (3.13+), else true. Absent in records
   * made before it was recorded (read as true).
   */
  python: { executable: string; version: string; gilEnabled?: boolean };
  startMethod: StartMethod | null;
  /** Exit code of the program; null when it was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the main process, e.g. "SIGTERM"; null when it exited by itself. */
  exitSignal: string | null;
  /** How the run ended. */
  outcome: RunOutcome;
  durationMs: number;
  cores: number;
  /** How the processes and threads were sampled. Absent in records made before it was recorded. */
  sampling?: SamplingFacts;
  /** True if any cap was hit (output, processes, samples, events). */
  truncated: boolean;
  /** Wall-clock start, ISO 8601, for people; every other time is relative. */
  startedAt: string;
  processes: ProcessEntry[];
  coreSamples: CoreSample[];
  locks: LockInfo[];
  lockEvents: LockEvents;
  channels: ChannelInfo[];
  ipcEvents: IpcEvent[];
  tasks: TaskRecord[];
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  warnings: string[];
  /** Health of the event channel: records dropped because they were malformed or unauthenticated. */
  events: { received: number; malformed: number; unauthenticated: number };
}

/** How often the run's processes and threads were sampled. */
export interface SamplingFacts {
  /** ms between two samples of every process, and of its threads (Linux). */
  intervalMs: number;
  /**
   * ms between two fast samples of the threads of a process while two or more of them want
   * to run (they ran or waited for a core in the last `intervalMs`): often enough to see the
   * GIL pass between them. null where threads are not sampled (macOS, Windows, kernels
   * without scheduler statistics): then there are no fast samples.
   */
  fastThreadIntervalMs: number | null;
  /**
   * The most fast samples a process's threads get (a minute at the fast rate); after that its
   * threads are sampled every `intervalMs` again.
   */
  fastSamplesPerProcess: number;
}

export type RunOutcome = 'exited' | 'stopped' | 'timed-out' | 'failed-to-start';
