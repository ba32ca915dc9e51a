// What the Python tracer (runtimes/python) sends over a run's event socket.
//
// Wire format: newline-delimited JSON, UTF-8. Each connection first sends a hello line
// carrying the run's token and the protocol version; lines of a connection whose hello is
// missing or wrong are counted as unauthenticated and dropped, those of a tracer of another
// version dropped with a warning for the learner. A process sends its records in batches (several
// lines per write). Times are milliseconds since the run started: the host passes its
// monotonic start in PARALLEL_LAB_T0_NS and the tracer measures from it on Python's own
// clock, which may not be the host's (macOS after sleep). The hello and a clock line ahead
// of each batch on the socket carry the sender's clock; the host moves every time of the
// connection onto its own axis by the offset they show (tracerClocks.ts).
//
// The tracer's runtimes/python/parallel_lab_tracer/wire.py builds every line declared here,
// fields in this order; test/unit/wireContract.test.ts checks that both sides agree on the
// version, the roles and the fields of event tuples.

import type { ProcessRole } from '../../../shared/runRecord';

/**
 * The version of this protocol, which every hello carries (wire.PROTOCOL_VERSION on the
 * tracer's side). Raise both together whenever a record changes in a way the other side
 * would misread: the host ignores the records of a connection whose hello carries another
 * version (an old copy of the tracer on the Python path, say) and warns the learner.
 */
export const TRACER_PROTOCOL_VERSION = 2;

/** Environment variables the host sets for the traced program. */
export const TRACER_ENV = {
  /** UNIX socket path, or a Windows named pipe path. Its presence switches the tracer on. */
  socket: 'PARALLEL_LAB_SOCKET',
  token: 'PARALLEL_LAB_TOKEN',
  /** The run's start on the host's monotonic clock, in nanoseconds. */
  t0Ns: 'PARALLEL_LAB_T0_NS',
  /** Optional: the multiprocessing start method to make the default. */
  startMethod: 'PARALLEL_LAB_START_METHOD',
  /** Optional: the private folder where pool workers write their spools (the tracer's spool.py). */
  spool: 'PARALLEL_LAB_SPOOL',
} as const;

/** The first line of every connection. */
export interface HelloRecord {
  type: 'hello';
  /** TRACER_PROTOCOL_VERSION of the tracer that sent it; absent from tracers older than versions. */
  v: number;
  token: string;
  pid: number;
  /** The sender's clock as it sent the hello, in run milliseconds on its own clock. */
  t: number;
}

/** Sent ahead of each batch on the socket (not in a spool): the sender's clock as it sent it. */
export interface ClockLine {
  type: 'clock';
  t: number;
}

/** The last line on a socket: the connection goes on in this spool file (the tracer's spool.py). */
export interface SpoolLine {
  type: 'spool';
  file: string;
}

/** A Python process of the run began: the main interpreter, a spawned one, or a fork child. */
export interface ProcessStartRecord {
  type: 'process-start';
  pid: number;
  ppid: number;
  t: number;
  role: ProcessRole;
  name: string;
  /** Set by the main process: the start method in effect. */
  startMethod?: string;
  /**
   * The CPU time the process had used when the tracer began in it (the interpreter's
   * start-up, or what a fork child did since the fork): it began at least that long before `t`.
   */
  cpuMs?: number;
  /**
   * The native id of the thread the process began with: its main thread, or in a fork child
   * the thread that forked. Absent where Python has no native thread ids.
   */
  tid?: number;
  /** That thread's threading name ("MainThread"); sent with `tid`. */
  threadName?: string;
}

/** The process learned what it is (multiprocessing's bootstrap ran, or it became the forkserver). */
export interface ProcessRoleRecord {
  type: 'process-role';
  pid: number;
  role: ProcessRole;
  name: string;
}

/** The process is ending, reported by itself. */
export interface ProcessEndRecord {
  type: 'process-end';
  pid: number;
  t: number;
  /** Known for multiprocessing children (the value their bootstrap returns); null for the main. */
  exitCode: number | null;
  /** User + system CPU time used by this process. */
  cpuMs: number;
}

/**
 * A parent launched a child that reports nothing itself unless it is Python (a `subprocess`
 * child): sent right after the launch, so that a child shorter than one sampler tick is still
 * in the record. `command` is its arguments joined by spaces, as the sampler would read them.
 */
export interface ChildStartRecord {
  type: 'child-start';
  pid: number;
  ppid: number;
  t: number;
  command: string;
}

/**
 * A parent collected a child's exit code (covers children killed by a signal: negative codes):
 * any child it waited for with os.wait*, and any multiprocessing or subprocess child.
 */
export interface ChildExitRecord {
  type: 'child-exit';
  pid: number;
  t: number;
  exitCode: number;
}

/**
 * Sent by the main process when it launches a child with a start method it has not reported
 * yet: the method actually used, which a learner's set_start_method() or get_context() may
 * have changed from the default announced in process-start.
 */
export interface StartMethodRecord {
  type: 'start-method';
  pid: number;
  method: string;
}

/** A plain-language note for the learner that the tracer noticed (e.g. a missing main guard). */
export interface WarningRecord {
  type: 'warning';
  pid: number;
  message: string;
}

// ---- Locks, messages and pool tasks -------------------------------------------------
//
// High-rate events travel in batch records whose `events` are compact arrays (tuples), so
// one line carries hundreds of events and the tracer's hot path only appends a tuple.
// Source sites are interned per process: a `site` record defines an id once, later records
// refer to it (null: no learner frame found). A fork child starts a new site table.

/** A source site of the learner's code, interned: `id` is unique within `pid`. */
export interface SiteRecord {
  type: 'site';
  pid: number;
  id: number;
  file: string;
  line: number;
  function: string;
}

/** A lock (or other synchronisation object) seen for the first time by this process. */
export interface LockNewRecord {
  type: 'lock-new';
  pid: number;
  /** Same in every process: the semaphore's name, or an id carried through pickling. */
  lock: string;
  /** Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier. */
  kind: string;
  /** How the learner made it: "Lock", "Value.get_lock", "Array.get_lock", "Condition", ... */
  api: string;
  /** Made inside the standard library (a Queue's or a pool's own lock). */
  internal: boolean;
  /** Where it was created; null when unknown (e.g. first seen in a child). */
  site: number | null;
  /**
   * As the learner's code names it, read from the line that made it: "lock", "self.lock",
   * "counter.get_lock()". Absent when that line names nothing. Carried to every process.
   */
  name?: string;
}

/**
 * Lock cycles of this process. Each event is
 * `[tid, lock, requestMs, acquiredMs | null, releasedMs | null, site]`:
 * - acquired and released: a complete cycle;
 * - acquiredMs null: the acquire failed (non-blocking or timed out);
 * - releasedMs null: acquired here and not released by this process (released by another
 *   process, which sends a `lock-release`, or still held when this process ended).
 * Re-entrant RLock acquires fold into the outer cycle.
 */
export interface LockBatchRecord {
  type: 'lock-batch';
  pid: number;
  events: Array<[tid: number, lock: string, requestMs: number, acquiredMs: number | null, releasedMs: number | null, site: number | null]>;
}

/** Releases of a lock this process did not acquire: `[tid, lock, releasedMs, site]`. */
export interface LockReleaseRecord {
  type: 'lock-release';
  pid: number;
  events: Array<[tid: number, lock: string, releasedMs: number, site: number | null]>;
}

/**
 * A cycle still in progress after 50 ms, sent while the process is still blocked, so a
 * deadlock shows as it happens: `acquiredMs` null while waiting. The complete cycle, when
 * it comes, replaces it (matched on pid, tid, lock and requestMs). `held` lists the locks
 * this thread holds meanwhile: `[lock, acquiredMs, site]`.
 */
export interface LockOpenRecord {
  type: 'lock-open';
  pid: number;
  tid: number;
  lock: string;
  requestMs: number;
  acquiredMs: number | null;
  site: number | null;
  held: Array<[lock: string, acquiredMs: number, site: number | null]>;
}

/**
 * This process switched a lock to aggregated counts because of its rate. Cumulative for
 * this process since `sinceMs`; a newer record from the same pid replaces the older one.
 * Histograms count cycles per bucket, bucket upper bounds in `bucketsMs`, the last open.
 */
export interface LockStatsRecord {
  type: 'lock-stats';
  pid: number;
  lock: string;
  sinceMs: number;
  acquisitions: number;
  totalWaitMs: number;
  maxWaitMs: number;
  totalHoldMs: number;
  bucketsMs: number[];
  waitHistogram: number[];
  holdHistogram: number[];
}

/** A queue or pipe seen for the first time by this process. */
export interface ChannelNewRecord {
  type: 'channel-new';
  pid: number;
  /** Same in every process that uses it. */
  channel: string;
  kind: 'queue' | 'pipe';
  /** "Queue", "SimpleQueue", "JoinableQueue", "Pipe". */
  api: string;
  internal: boolean;
  site: number | null;
  /** As the learner's code names it: "results", "parent_end ↔ child_end"; absent when not read. */
  name?: string;
}

export const MESSAGE_OPS = ['put', 'get', 'send', 'recv'] as const;
export type MessageOp = (typeof MESSAGE_OPS)[number];

/**
 * Messages: `[op, channel, endpoint, t, waitMs, bytes, site]`. `t` is when the call
 * returned, `waitMs` how long it blocked. `endpoint` says which end of a Pipe (0 or 1;
 * a send on one end is received on the other); 0 for queues. The host pairs the n-th
 * message sent towards an end with the n-th received there, for arrows.
 */
export interface IpcBatchRecord {
  type: 'ipc-batch';
  pid: number;
  events: Array<[op: MessageOp, channel: string, endpoint: number, t: number, waitMs: number, bytes: number, site: number | null]>;
}

/**
 * Pool tasks run by this worker: `[pool, fn, items, startMs, endMs, ok, site, submitKey]`.
 * `pool` is the same id in the parent and its workers; `submitKey` (or null) matches a
 * `task-submit` event of the parent; `site` is where the learner submitted it, when known.
 */
export interface TaskBatchRecord {
  type: 'task-batch';
  pid: number;
  events: Array<[pool: string, fn: string, items: number, startMs: number, endMs: number, ok: boolean, site: number | null, submitKey: string | null]>;
}

/**
 * Tasks this worker took, sent before it runs them:
 * `[pool, poolType, fn, items, startMs, submitKey, call]`. A task that ends sends its
 * `task-batch` event with the same startMs; one that never does killed its worker (os._exit,
 * a segfault, the OOM killer) or was running when the worker was ended. `poolType` is
 * "Pool", "ProcessPoolExecutor" or "loky" (joblib's default backend); `call` is the call as
 * the learner would write it, values shown only where harmless ("job(2)", "job(…)", "4 calls
 * of job"), for warnings.
 */
export interface TaskStartRecord {
  type: 'task-start';
  pid: number;
  events: Array<[pool: string, poolType: string, fn: string, items: number, startMs: number, submitKey: string | null, call: string]>;
}

/**
 * Threads of this process other than the one it began with (process-start names that one):
 * `[tid, name, startMs, endMs, cpuMs]`. A start has endMs and cpuMs null; an end has both (cpuMs
 * the thread's own CPU time, null where the platform has no per-thread clock) and the thread's
 * name as it ended (a thread may be renamed while it runs). `tid` is the native id.
 */
export interface ThreadBatchRecord {
  type: 'thread-batch';
  pid: number;
  events: Array<[tid: number, name: string, startMs: number, endMs: number | null, cpuMs: number | null]>;
}

/** Tasks handed to a pool by this process: `[submitKey, submitMs, site]`. */
export interface TaskSubmitRecord {
  type: 'task-submit';
  pid: number;
  events: Array<[submitKey: string, submitMs: number, site: number | null]>;
}

/**
 * The fields of each kind of event tuple, by name, in order: the tracer's hot paths build
 * these tuples inline, in the order of wire.py's *_FIELDS lists, which the contract test
 * compares with these. Each list has as many names as its tuple type has elements.
 */
export const EVENT_FIELDS = {
  LOCK_CYCLE: ['tid', 'lock', 'requestMs', 'acquiredMs', 'releasedMs', 'site'],
  LOCK_RELEASE: ['tid', 'lock', 'releasedMs', 'site'],
  HELD_LOCK: ['lock', 'acquiredMs', 'site'],
  MESSAGE: ['op', 'channel', 'endpoint', 't', 'waitMs', 'bytes', 'site'],
  TASK: ['pool', 'fn', 'items', 'startMs', 'endMs', 'ok', 'site', 'submitKey'],
  TASK_SUBMIT: ['submitKey', 'submitMs', 'site'],
  TASK_START: ['pool', 'poolType', 'fn', 'items', 'startMs', 'submitKey', 'call'],
  THREAD: ['tid', 'name', 'startMs', 'endMs', 'cpuMs'],
} as const satisfies {
  LOCK_CYCLE: ArityOf<LockBatchRecord['events'][number]>;
  LOCK_RELEASE: ArityOf<LockReleaseRecord['events'][number]>;
  HELD_LOCK: ArityOf<LockOpenRecord['held'][number]>;
  MESSAGE: ArityOf<IpcBatchRecord['events'][number]>;
  TASK: ArityOf<TaskBatchRecord['events'][number]>;
  TASK_SUBMIT: ArityOf<TaskSubmitRecord['events'][number]>;
  TASK_START: ArityOf<TaskStartRecord['events'][number]>;
  THREAD: ArityOf<ThreadBatchRecord['events'][number]>;
};

type ArityOf<Tuple extends readonly unknown[]> = { readonly length: Tuple['length'] };

// ---- The scaling lab ------------------------------------------------------------------

/**
 * One mode's outcome from the scaling lab's harness (runtimes/python/parallel_lab_scale),
 * sent on its process's connection rather than in a file: the Microsoft Store's Python
 * redirects the files it creates in TEMP to a folder of its own, out of the host's sight.
 * `report` is the harness's JSON document, whose fields harnessReport.ts checks; `t` is when
 * it was sent, on the tracer's clock like every `t`, so that the host can put the report's
 * own times (harness clock readings, `sentMs` among them) on the run's axis.
 */
export interface ScaleReportRecord {
  type: 'scale-report';
  pid: number;
  t: number;
  report: string;
}

export type TracerRecord =
  | ProcessStartRecord
  | ProcessRoleRecord
  | ProcessEndRecord
  | ChildStartRecord
  | ChildExitRecord
  | StartMethodRecord
  | WarningRecord
  | SiteRecord
  | LockNewRecord
  | LockBatchRecord
  | LockReleaseRecord
  | LockOpenRecord
  | LockStatsRecord
  | ChannelNewRecord
  | IpcBatchRecord
  | TaskBatchRecord
  | TaskSubmitRecord
  | TaskStartRecord
  | ThreadBatchRecord
  | ScaleReportRecord;

export type TracerRecordType = TracerRecord['type'];
