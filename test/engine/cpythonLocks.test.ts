// Transparency of the lock tracer: CPython's own multiprocessing tests for locks, semaphores,
// conditions, events, barriers, values, arrays, queues, connections, pools and processes
// give the same result traced as plain.
// test/python/run_cpython_mp_tests.py runs them for one start method and prints a summary.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventServer } from '../../src/extension/engine/eventServer';
import { RunClock } from '../../src/extension/engine/runClock';
import { TRACER_ENV, type TracerRecord } from '../../src/extension/engine/tracerProtocol';

const REPO = path.resolve(__dirname, '../../..');
const TRACER_DIR = path.join(REPO, 'runtimes/python');
const RUNNER = path.join(REPO, 'test/python/run_cpython_mp_tests.py');
const PYTHON = process.env.PARALLEL_LAB_TEST_PYTHON ?? 'python3';
// The classes that exercise locks, and those of queues, connections, pools and processes,
// which use locks inside. About 15 s per run under fork and 65 s under spawn here.
const CLASS_PATTERNS = [
  'Lock', 'Semaphore', 'Condition', 'Event', 'Value', 'Array', 'Barrier',
  'Queue', 'Connection', 'Pool', 'PoolWorkerErrors', 'PoolWorkerLifetime', 'Process',
].map((name) => `WithProcessesTest${name}`);

interface Summary {
  method: string;
  classes: string[];
  run: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: string[];
  seconds: number;
}

function hasCpythonTests(): boolean {
  return spawnSync(PYTHON, ['-c', 'import test._test_multiprocessing'], { stdio: 'ignore' }).status === 0;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(TRACER_ENV)) delete env[name];
  delete env.PYTHONPATH;
  return env;
}

function runRunner(method: string, env: NodeJS.ProcessEnv): Promise<Summary> {
  return new Promise((resolve, reject) => {
    // The tests create files in their working folder: run them in the temporary one.
    const child = spawn(PYTHON, [RUNNER, method, ...CLASS_PATTERNS], { env, cwd: os.tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Summary);
      } catch {
        reject(new Error(`the runner exited with ${code} and no summary:\n${stderr.slice(-3000)}`));
      }
    });
  });
}

async function runTraced(method: string): Promise<{ summary: Summary; records: TracerRecord[] }> {
  const records: TracerRecord[] = [];
  const server = await EventServer.open((record) => records.push(record));
  const env = cleanEnv();
  env.PYTHONPATH = TRACER_DIR;
  Object.assign(env, server.tracerVariables);
  env[TRACER_ENV.t0Ns] = new RunClock().t0Ns.toString();
  try {
    return { summary: await runRunner(method, env), records };
  } finally {
    await server.close(2000);
  }
}

describe("CPython's multiprocessing tests under the lock tracer", function () {
  this.timeout(300000);
  this.slow(60000);

  before(function () {
    if (!hasCpythonTests()) this.skip();
  });

  for (const method of ['fork', 'spawn']) {
    it(`give the same result traced as plain under ${method}`, async () => {
      const plain = await runRunner(method, cleanEnv());
      const { summary: traced, records } = await runTraced(method);
      assert.deepEqual(traced.classes, plain.classes);
      assert.equal(plain.classes.length, CLASS_PATTERNS.length, 'every selected class exists');
      assert.ok(plain.run > 0);
      assert.equal(traced.run, plain.run);
      assert.deepEqual(traced.failed, plain.failed, 'the same tests fail (if any)');
      assert.equal(traced.skipped, plain.skipped);
      const lockRecords = records.filter((r) => r.type === 'lock-batch' || r.type === 'lock-stats');
      assert.ok(lockRecords.length > 10, `the traced run sent lock records (${lockRecords.length})`);
      assert.ok(new Set(records.filter((r) => r.type === 'lock-new').map((r) => r.pid)).size > 5, 'from many processes');
    });
  }
});
