// joblib, the parallel API most learners meet first, profiled as a learner runs it:
// `Parallel(n_jobs=2)(delayed(square)(i) for i in range(20))` on the default loky backend and
// on backend="multiprocessing". The workers are pool workers, the 20 calls of the learner's
// `square` are the tasks (joblib batches calls: a task carries its items), submitted at the
// learner's line, and joblib's and loky's own queues, pipes and locks are internal. Runs
// Debian's python3-joblib under Debian's own Python (pyenv's python3 has no joblib).

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LockEventList, RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { lineOf } from '../helpers/tracedPython';

const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why the joblib tests cannot run here, or null when they can. */
function missingJoblib(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import joblib; print(joblib.__version__)'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error) return `no ${SYSTEM_PYTHON}`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no joblib (Debian: apt install python3-joblib)`;
  return null;
}

const SQUARES = `
  import sys
  from joblib import Parallel, delayed

  def square(x):
      return x * x

  if __name__ == "__main__":
      backend = None if sys.argv[1] == "default" else sys.argv[1]
      results = Parallel(n_jobs=2, backend=backend)(delayed(square)(i) for i in range(20))  # the learner's Parallel
      print(results)
`;

const EXPECTED_OUTPUT = `${JSON.stringify(Array.from({ length: 20 }, (_, i) => i * i)).replace(/,/g, ', ')}\n`;

const BACKENDS = [
  { backend: 'default', title: 'the default loky backend' },
  { backend: 'multiprocessing', title: 'backend="multiprocessing"' },
];

function profile(file: string, backend: string): Promise<RunRecord<LockEventList>> {
  return ProfileRun.start({ file, args: [backend], python: SYSTEM_PYTHON, timeoutMs: 60_000 }).then((run) => run.finished);
}

function assertJoblibRun(record: RunRecord<LockEventList>, program: string): void {
  assert.equal(record.exitCode, 0, record.stderr);
  assert.equal(record.stdout, EXPECTED_OUTPUT);
  const workers = record.processes.filter((p) => p.role === 'pool-worker');
  assert.equal(workers.length, 2, `two pool workers: ${JSON.stringify(record.processes.map((p) => [p.pid, p.role, p.name]))}`);
  const workerPids = new Set(workers.map((p) => p.pid));

  // The 20 calls, in joblib's batches, each a task of the learner's function run by a worker.
  const tasks = record.tasks;
  assert.ok(tasks.length > 0, 'the workers ran tasks');
  assert.equal(tasks.reduce((sum, task) => sum + task.items, 0), 20, `the 20 calls of square: ${JSON.stringify(tasks)}`);
  for (const task of tasks) {
    assert.equal(task.fn, 'square', 'named as the learner named it, not joblib\'s BatchedCalls or SafeFunction');
    assert.ok(workerPids.has(task.pid), `task run by a pool worker: ${JSON.stringify(task)}`);
    assert.equal(task.ok, true);
    assert.ok(task.endMs >= task.startMs);
    assert.equal(typeof task.submitMs, 'number', `paired with its submit: ${JSON.stringify(task)}`);
    assert.ok(task.submitMs! <= task.startMs + 1, 'submitted before it started');
    assert.equal(task.site?.line, lineOf(program, "the learner's Parallel"), `submitted at the learner's line: ${JSON.stringify(task.site)}`);
    assert.equal(path.basename(task.site.file), 'squares.py');
  }
  assert.equal(new Set(tasks.map((task) => task.pool)).size, 1, 'one pool');

  // Nothing here is the learner's own: every queue, pipe and lock is joblib's, loky's or multiprocessing's.
  assert.ok(record.channels.length > 0, 'the pool\'s own queues carried the tasks');
  for (const channel of record.channels) assert.equal(channel.internal, true, `internal: ${JSON.stringify(channel)}`);
  for (const lock of record.locks) assert.equal(lock.internal, true, `internal: ${JSON.stringify(lock)}`);
  const ownFiles = [...record.channels, ...record.locks].map((object) => object.site?.file ?? '');
  assert.ok(ownFiles.every((file) => !file.includes('joblib')), 'no site inside joblib');
}

describe('joblib under the profiler', function () {
  this.timeout(120_000);
  const missing = missingJoblib();

  for (const { backend, title } of BACKENDS) {
    const name = `shows the 20 calls of Parallel(n_jobs=2) on ${title} as tasks of pool workers, with joblib's objects internal`;
    if (missing) {
      it.skip(`${name} (skipped: ${missing})`);
      continue;
    }
    it(name, async () => {
      const file = writeProgram('squares.py', SQUARES);
      const record = await profile(file, backend);
      assertJoblibRun(record, readFileSync(file, 'utf8'));
    });
  }

  const cliTitle = 'parallel-lab run prints the tasks per worker of a joblib run and writes them in the record';
  if (missing) {
    it.skip(`${cliTitle} (skipped: ${missing})`);
  } else {
    it(cliTitle, async () => {
      const file = writeProgram('squares.py', SQUARES);
      const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-joblib-')), 'run.json');
      const result = await runCli(['run', file, '--python', SYSTEM_PYTHON, '--json', json, '--', 'default']);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith(EXPECTED_OUTPUT), 'the program output comes first, as it is');
      const section = result.stdout.split('\n\n').find((part) => part.startsWith('Tasks per worker'));
      assert.ok(section, `a tasks section:\n${result.stdout}`);
      const rows = section.split('\n').slice(2).map((line) => line.trim().split(/\s+/));
      // A worker that starts late on a busy machine may get no batch at all: one row or two.
      assert.ok(rows.length >= 1 && rows.length <= 2, `a row per worker that ran tasks:\n${section}`);
      assert.equal(rows.reduce((sum, row) => sum + Number(row[2]), 0), 20, `20 items in all:\n${section}`);
      for (const [pid] of rows) assert.match(result.stdout, new RegExp(`^\\s+${pid}\\s+\\d+\\s+pool-worker\\s`, 'm'), `worker ${pid} is a pool worker`);
      const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
      assertJoblibRun(record, readFileSync(file, 'utf8'));
    });
  }
});
