// Runs a Python program under the real tracer against the real event server and hands back
// the wire records, flattened into plain objects for assertions (the host's own record
// builder is tested elsewhere: these tests look at what the tracer sends).

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EventServer } from '../../src/extension/engine/tracer/eventServer';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { TRACER_ENV, type TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import type { StartMethod } from '../../src/shared/runRecord';
import { REPO_ROOT } from './pythonPrograms';

export const TRACER_DIR = path.join(REPO_ROOT, 'runtimes', 'python');
export const DEFAULT_PYTHON = process.env.PARALLEL_LAB_TEST_PYTHON ?? 'python3';

export interface ProgramOutput {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** The pid of the interpreter the test started. */
  pid: number;
}

export interface TracedRun extends ProgramOutput {
  records: TracerRecord[];
  /** Records the event server accepted (runTraced fails when it refused any line). */
  linesReceived: number;
}

export interface TracedRunOptions {
  python?: string;
  startMethod?: StartMethod;
  /** Which tracer variables to set: all of them (default), none, or all with an unusable socket or start. */
  tracer?: 'on' | 'off' | 'wrong-socket' | 'bad-t0';
  /** A folder put on PYTHONPATH after the tracer's (one holding a sitecustomize it shadows, say). */
  extraPythonPath?: string;
  /** SIGKILL the program's whole process group after this long (it then leads its own group). */
  killAfterMs?: number;
}

/**
 * Runs `file` traced and collects everything it sent until the run is quiet. Fails when the
 * event server refused a line (malformed, unauthenticated) or a hello of another protocol
 * version: whatever a test then asserts, the tracer and the host disagree.
 */
export async function runTraced(file: string, options: TracedRunOptions = {}): Promise<TracedRun> {
  const records: TracerRecord[] = [];
  let lastRecordAt = Date.now();
  const server = await EventServer.open(new RunClock(), (record) => {
    records.push(record);
    lastRecordAt = Date.now();
  });
  const env = pythonEnv(options.extraPythonPath);
  env.PYTHONPATH = [TRACER_DIR, options.extraPythonPath].filter(Boolean).join(path.delimiter);
  const tracer = options.tracer ?? 'on';
  if (tracer !== 'off') {
    Object.assign(env, server.tracerVariables);
    if (tracer === 'wrong-socket') env[TRACER_ENV.socket] = path.join(path.dirname(file), 'no-such.sock');
    if (tracer === 'bad-t0') env[TRACER_ENV.t0Ns] = 'soon';
  }
  if (options.startMethod) env[TRACER_ENV.startMethod] = options.startMethod;
  const output = await runPython(options.python ?? DEFAULT_PYTHON, file, env, options.killAfterMs);
  // Helpers (resource tracker, forkserver) finish shortly after the main: wait for quiet.
  const deadline = Date.now() + 5000;
  while (Date.now() - lastRecordAt < 300 && Date.now() < deadline) await delay(50);
  await server.close(2000);
  const { received, malformed, unauthenticated } = server.counts;
  assert.deepEqual({ malformed, unauthenticated }, { malformed: 0, unauthenticated: 0 }, `every line on the event channel was accepted; stderr:\n${output.stderr}`);
  assert.deepEqual([...server.otherTracerVersions], [], 'the tracer speaks the host\'s protocol version');
  return { ...output, records, linesReceived: received };
}

/** The same program with no tracer at all. `startMethod` is then set by the program itself, if at all. */
export function runUntraced(file: string, python = DEFAULT_PYTHON, extraPythonPath?: string): Promise<ProgramOutput> {
  return runPython(python, file, pythonEnv(extraPythonPath));
}

function pythonEnv(extraPythonPath?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(TRACER_ENV)) delete env[name];
  if (extraPythonPath) env.PYTHONPATH = extraPythonPath;
  else delete env.PYTHONPATH;
  delete env.PARALLEL_LAB_MAIN_PID;
  return env;
}

function runPython(python: string, file: string, env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<ProgramOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [file], { env, cwd: path.dirname(file), detached: killAfterMs !== undefined });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    const killer = killAfterMs === undefined ? undefined : setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), killAfterMs);
    child.on('close', (exitCode) => {
      clearTimeout(killer);
      resolve({ stdout, stderr, exitCode, pid: child.pid ?? -1 });
    });
  });
}

// ---- The records, flattened -------------------------------------------------------------

export interface Site {
  file: string;
  line: number;
  function: string;
}

/** Each pid's interned sites: a site id means something only with its pid. */
export function sitesOf(records: TracerRecord[]): (pid: number, id: number | null) => Site | null {
  const sites = new Map<string, Site>();
  for (const r of records) if (r.type === 'site') sites.set(`${r.pid}/${r.id}`, { file: r.file, line: r.line, function: r.function });
  return (pid, id) => {
    if (id === null) return null;
    const site = sites.get(`${pid}/${id}`);
    assert.ok(site, `site ${id} of pid ${pid} was never defined`);
    return site;
  };
}

/** Role of every pid after its process-role records. */
export function rolesOf(records: TracerRecord[]): Map<number, string> {
  const roles = new Map<number, string>();
  for (const r of records) if (r.type === 'process-start' || r.type === 'process-role') roles.set(r.pid, r.role);
  return roles;
}

export interface ChannelSeen {
  pid: number;
  channel: string;
  kind: string;
  api: string;
  internal: boolean;
  site: number | null;
  name?: string;
}

export function channelsOf(records: TracerRecord[]): ChannelSeen[] {
  return records.flatMap((r) =>
    r.type === 'channel-new' ? [{ pid: r.pid, channel: r.channel, kind: r.kind, api: r.api, internal: r.internal, site: r.site, name: r.name }] : [],
  );
}

export interface IpcEvent {
  pid: number;
  op: 'put' | 'get' | 'send' | 'recv';
  channel: string;
  endpoint: number;
  t: number;
  waitMs: number;
  bytes: number;
  site: number | null;
}

/** Every message event, in time order. */
export function ipcEventsOf(records: TracerRecord[]): IpcEvent[] {
  const events = records.flatMap((r) =>
    r.type === 'ipc-batch'
      ? r.events.map(([op, channel, endpoint, t, waitMs, bytes, site]) => ({ pid: r.pid, op, channel, endpoint, t, waitMs, bytes, site }))
      : [],
  );
  return events.sort((a, b) => a.t - b.t);
}

/** The message events on the channels the learner made (not a pool's or the library's own). */
export function learnerIpcEventsOf(records: TracerRecord[]): IpcEvent[] {
  const internal = new Set(channelsOf(records).filter((c) => c.internal).map((c) => c.channel));
  return ipcEventsOf(records).filter((e) => !internal.has(e.channel));
}

export interface TaskEvent {
  pid: number;
  pool: string;
  fn: string;
  items: number;
  startMs: number;
  endMs: number;
  ok: boolean;
  site: number | null;
  submitKey: string | null;
}

export function tasksOf(records: TracerRecord[]): TaskEvent[] {
  return records.flatMap((r) =>
    r.type === 'task-batch'
      ? r.events.map(([pool, fn, items, startMs, endMs, ok, site, submitKey]) => ({ pid: r.pid, pool, fn, items, startMs, endMs, ok, site, submitKey }))
      : [],
  );
}

export interface SubmitEvent {
  pid: number;
  submitKey: string;
  submitMs: number;
  site: number | null;
}

export function submitsOf(records: TracerRecord[]): SubmitEvent[] {
  return records.flatMap((r) => (r.type === 'task-submit' ? r.events.map(([submitKey, submitMs, site]) => ({ pid: r.pid, submitKey, submitMs, site })) : []));
}

/** The line number (1-based) of the only line of `source` containing `text`. */
export function lineOf(source: string, text: string): number {
  const lines = source.split('\n');
  const found = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
  assert.equal(found.length, 1, `exactly one line contains ${text}`);
  return found[0];
}
