// What the Python tracer (runtimes/python) sends over a run's event socket.
//
// Wire format: newline-delimited JSON, UTF-8. Each connection first sends a hello line
// carrying the run's token; lines of a connection whose hello is missing or wrong are
// counted as unauthenticated and dropped. A process sends its records in batches (several
// lines per write). Times `t` are milliseconds since the run started (the host passes its
// monotonic start in PARALLEL_LAB_T0_NS; Python's time.monotonic_ns() reads the same clock).

/** Environment variables the host sets for the traced program. */
export const TRACER_ENV = {
  /** UNIX socket path, or a Windows named pipe path. Its presence switches the tracer on. */
  socket: 'PARALLEL_LAB_SOCKET',
  token: 'PARALLEL_LAB_TOKEN',
  /** The run's start on the shared monotonic clock, in nanoseconds. */
  t0Ns: 'PARALLEL_LAB_T0_NS',
  /** Optional: the multiprocessing start method to make the default. */
  startMethod: 'PARALLEL_LAB_START_METHOD',
} as const;

export interface HelloRecord {
  type: 'hello';
  token: string;
  pid: number;
}

/** A Python process of the run began: the main interpreter, a spawned one, or a fork child. */
export interface ProcessStartRecord {
  type: 'process-start';
  pid: number;
  ppid: number;
  t: number;
  role: 'main' | 'process' | 'pool-worker' | 'other';
  name: string;
  /** Set by the main process: the start method in effect. */
  startMethod?: string;
}

/** The process learned what it is (multiprocessing's bootstrap ran, or it became the forkserver). */
export interface ProcessRoleRecord {
  type: 'process-role';
  pid: number;
  role: 'main' | 'process' | 'pool-worker' | 'other';
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

/** A parent observed a child's exit code (covers children killed by a signal: negative codes). */
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

export type TracerRecord =
  | ProcessStartRecord
  | ProcessRoleRecord
  | ProcessEndRecord
  | ChildExitRecord
  | StartMethodRecord
  | WarningRecord;

export type TracerRecordType = TracerRecord['type'];
