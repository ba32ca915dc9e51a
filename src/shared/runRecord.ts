// The run record: one JSON document per run (file format `parallel-lab/run@1`).
// Field names are a contract shared with saved files and the webview: add fields freely,
// rename none. Times are milliseconds since the run started, on the monotonic clock that
// the host and every Python process share.

export const RUN_RECORD_SCHEMA = 'parallel-lab/run@1';

export type ProcessRole = 'main' | 'process' | 'pool-worker' | 'other';

export type StartMethod = 'fork' | 'spawn' | 'forkserver';

export interface ProcessSample {
  t: number;
  /** Percent of ONE core: 0..100 * cores. */
  cpu: number;
  rssBytes: number;
  /** The logical CPU the process last ran on, or null where the platform does not say. */
  core: number | null;
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  name: string;
  role: ProcessRole;
  startMs: number;
  endMs: number | null;
  exitCode: number | null;
  /** CPU time (user + system) the process reported at exit, when the tracer saw it exit. */
  cpuMs: number | null;
  /** True when the Python tracer reported this process; false when only the sampler found it. */
  traced: boolean;
  /** The command line, for processes the tracer did not see (a `subprocess` child, say). */
  command?: string;
  samples: ProcessSample[];
}

export interface CoreSample {
  t: number;
  /** Percent busy per logical core. */
  usage: number[];
}

export interface SourceSite {
  file: string;
  line: number;
  function?: string;
}

export interface RunRecord {
  schema: typeof RUN_RECORD_SCHEMA;
  file: string;
  argv: string[];
  python: { executable: string; version: string };
  startMethod: StartMethod | null;
  /** Exit code of the program; null when it was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the main process, e.g. "SIGTERM"; null when it exited by itself. */
  exitSignal: string | null;
  /** How the run ended. */
  outcome: RunOutcome;
  durationMs: number;
  cores: number;
  /** True if any cap was hit (output, processes, samples, events). */
  truncated: boolean;
  /** Wall-clock start, ISO 8601, for people; every other time is relative. */
  startedAt: string;
  processes: ProcessEntry[];
  coreSamples: CoreSample[];
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  warnings: string[];
  /** Health of the event channel: records dropped because they were malformed or unauthenticated. */
  events: { received: number; malformed: number; unauthenticated: number };
}

export type RunOutcome = 'exited' | 'stopped' | 'timed-out' | 'failed-to-start';
