// Runs CPython's own multiprocessing test suite (test._test_multiprocessing, through
// test/python/run_cpython_mp_tests.py) for one start method, plain or under the tracer with a
// real EventServer, and hands back the runner's summary, the wall time and, when traced, the
// records and the lines the server rejected. Used by the transparency test and the benchmark.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventServer } from '../../src/extension/engine/tracer/eventServer';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { tracedEnvironment } from '../../src/extension/engine/run/profileRun';
import { resolvePython } from '../../src/extension/engine/interpreter/pythonInterpreter';
import { TRACER_ENV, type TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { REPO_ROOT } from './pythonPrograms';
import type { StartMethod } from '../../src/shared/runRecord';
import { DEFAULT_PYTHON } from './tracedPython';

const RUNNER = path.join(REPO_ROOT, 'test/python/run_cpython_mp_tests.py');

/** Every class install_tests_in_module_dict installs, as CPython's test_multiprocessing_<method> runs them. */
export const WHOLE_SUITE = ['*'];
/** The three test types every class of BaseTestCase is installed for. */
export const TEST_TYPES = ['WithProcesses', 'WithThreads', 'WithManager'] as const;

/** The runner's summary line. */
export interface SuiteSummary {
  method: string;
  classes: string[];
  run: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: string[];
  seconds: number;
}

export interface SuiteRun {
  summary: SuiteSummary;
  /** Spawn to exit of the runner. */
  wallMs: number;
  /** Each test's wall time in seconds, by test id. */
  durations: Record<string, number>;
}

export interface TracedSuiteRun extends SuiteRun {
  records: TracerRecord[];
  /** Lines the event server counted as malformed or unauthenticated (and dropped). */
  malformed: number;
  unauthenticated: number;
}

export function hasCpythonTests(python = DEFAULT_PYTHON): boolean {
  return spawnSync(python, ['-c', 'import test._test_multiprocessing'], { stdio: 'ignore' }).status === 0;
}

/** The runner plain: no tracer variable and nothing on PYTHONPATH. */
export function runSuitePlain(method: StartMethod, patterns: string[], python = DEFAULT_PYTHON): Promise<SuiteRun> {
  return runRunner(python, method, patterns, cleanEnv());
}

/**
 * The runner under the tracer, reporting to a real EventServer that keeps every record, in
 * the environment a profiled run gets (its bytecode cache included: without it, under this
 * machine's PYTHONDONTWRITEBYTECODE, every spawn child would compile the tracer again).
 */
export async function runSuiteTraced(method: StartMethod, patterns: string[], python = DEFAULT_PYTHON): Promise<TracedSuiteRun> {
  const records: TracerRecord[] = [];
  const server = await EventServer.open(new RunClock(), (record) => records.push(record));
  const env = tracedEnvironment(server, await resolvePython(python), undefined);
  delete env.PARALLEL_LAB_MAIN_PID;
  try {
    const run = await runRunner(python, method, patterns, env);
    await server.close(2000);
    return { ...run, records, malformed: server.counts.malformed, unauthenticated: server.counts.unauthenticated };
  } catch (error) {
    await server.close(0);
    throw error;
  }
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(TRACER_ENV)) delete env[name];
  delete env.PYTHONPATH;
  delete env.PARALLEL_LAB_MAIN_PID;
  return env;
}

function runRunner(python: string, method: StartMethod, patterns: string[], env: NodeJS.ProcessEnv): Promise<SuiteRun> {
  // The tests create files in their working folder: each run gets a fresh temporary one.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-cpython-'));
  const durationsFile = path.join(cwd, 'durations.json');
  const started = process.hrtime.bigint();
  return new Promise<SuiteRun>((resolve, reject) => {
    const child = spawn(python, [RUNNER, method, '--durations', durationsFile, ...patterns], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const summary = JSON.parse(last) as SuiteSummary;
        const durations = JSON.parse(readFileSync(durationsFile, 'utf8')) as Record<string, number>;
        resolve({ summary, wallMs, durations });
      } catch {
        reject(new Error(`the runner exited with ${code} and no summary:\n${stderr.slice(-3000)}`));
      }
    });
  }).finally(() => rmSync(cwd, { recursive: true, force: true }));
}
