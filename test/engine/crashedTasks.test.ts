// A task that kills its worker (os._exit(1), a segfault) under ProcessPoolExecutor and
// multiprocessing.Pool: the task stays in the record, ok false, ended with its worker, and a
// warning says in plain words which worker died running which call and what that did to the
// pool. The program's output, traceback and exit code are what they are without the profiler,
// and the run leaves no process behind.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LockEventList, ProcessEntry, RunRecord, StartMethod, TaskRecord } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON, lineOf } from '../helpers/tracedPython';

const CRASHES = {
  exit: 'os._exit(1)',
  segfault: 'ctypes.string_at(0)',
};

function executorProgram(crash: string): string {
  return `
    import ctypes
    import os
    from concurrent.futures import ProcessPoolExecutor

    def job(x):
        if x == 2:
            ${crash}
        return x * 10

    if __name__ == "__main__":
        with ProcessPoolExecutor(2) as executor:
            print(executor.submit(job, 1).result(), flush=True)
            print(executor.submit(job, 2).result())  # submits the crash
  `;
}

function poolProgram(crash: string): string {
  return `
    import ctypes
    import multiprocessing as mp
    import os

    def job(x):
        if x == 2:
            ${crash}
        return x * 10

    if __name__ == "__main__":
        with mp.Pool(2) as pool:
            print(pool.apply_async(job, (1,)).get(), flush=True)
            try:
                pool.apply_async(job, (2,)).get(timeout=3)  # submits the crash
            except mp.TimeoutError:
                print("job(2) never returned")
  `;
}

interface PlainRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** The same program without Parallel Lab, run as the engine runs it (from its folder, by its full path). */
function runPlain(file: string): Promise<PlainRun> {
  return new Promise((resolve) => {
    execFile(DEFAULT_PYTHON, [file], { cwd: path.dirname(file) }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ stdout, stderr, exitCode: code });
    });
  });
}

interface Profiled {
  record: RunRecord<LockEventList>;
  plain: PlainRun;
  /** The line that submits the task that crashes. */
  crashLine: number;
}

async function profileAndPlain(source: string, startMethod?: StartMethod): Promise<Profiled> {
  const file = writeProgram('crash.py', source);
  const record = await (await ProfileRun.start({ file, startMethod, timeoutMs: 60_000 })).finished;
  return { record, plain: await runPlain(file), crashLine: lineOf(readFileSync(file, 'utf8'), '# submits the crash') };
}

/** The one task that did not finish, and the worker that ran it. */
function crashedTask({ record, crashLine }: Profiled): { task: TaskRecord; worker: ProcessEntry } {
  const failed = record.tasks.filter((task) => !task.ok);
  assert.equal(failed.length, 1, `one task did not finish: ${JSON.stringify(record.tasks)}; warnings ${JSON.stringify(record.warnings)}`);
  const [task] = failed;
  assert.equal(task.fn, 'job');
  assert.equal(task.items, 1);
  const worker = record.processes.find((p) => p.pid === task.pid);
  assert.ok(worker, 'its worker is in the record');
  assert.equal(worker.role, 'pool-worker');
  assert.equal(task.workerExitCode, worker.exitCode);
  assert.ok(worker.endMs !== null && task.endMs === Math.max(task.startMs, worker.endMs), 'the task ends when its worker did');
  assert.equal(typeof task.submitMs, 'number', 'paired with its submit');
  assert.equal(task.site?.line, crashLine, `submitted at the learner's line: ${JSON.stringify(task.site)}`);
  const finished = record.tasks.filter((t) => t.ok);
  assert.equal(finished.length, 1, 'job(1) finished');
  return { task, worker };
}

function assertUnchangedAndClean(record: RunRecord<LockEventList>, plain: PlainRun): void {
  assert.equal(record.outcome, 'exited');
  assert.equal(record.exitCode, plain.exitCode, 'the exit code is the program\'s');
  assert.equal(record.stdout, plain.stdout);
  assert.equal(record.stderr, plain.stderr, 'the traceback, byte for byte');
  for (const warning of record.warnings) assert.doesNotMatch(warning, /still running|never saw it start/, 'no process left behind or lost');
  for (const process of record.processes) {
    // The resource tracker ends once the main's end of its pipe closes, so a little after the
    // main (the record's end); every other process ends before the main does.
    const endBy = process.role === 'other' ? record.durationMs + 500 : record.durationMs;
    assert.ok(process.endMs !== null && process.endMs <= endBy, `ended: ${JSON.stringify(process)}`);
  }
}

describe('a task that kills its worker', function () {
  this.timeout(120_000);

  for (const startMethod of [undefined, 'spawn'] as const) {
    it(`ProcessPoolExecutor, os._exit(1)${startMethod ? ` under ${startMethod}` : ''}: the task is kept, ok false, and the warning names the worker, the call and the broken pool`, async () => {
      const profiled = await profileAndPlain(executorProgram(CRASHES.exit), startMethod);
      const { record, plain } = profiled;
      assert.match(plain.stderr, /BrokenProcessPool/, 'the pool broke');
      assertUnchangedAndClean(record, plain);
      const { task, worker } = crashedTask(profiled);
      assert.equal(worker.exitCode, 1);
      assert.ok(
        record.warnings.includes(
          `The worker ${task.pid} running job(2) died with exit code 1 (os._exit or a crash), so the pool broke and every pending future failed (BrokenProcessPool).`,
        ),
        JSON.stringify(record.warnings),
      );
    });
  }

  it('ProcessPoolExecutor, a segfault: the warning says the worker was killed by SIGSEGV', async function () {
    if (process.platform === 'win32') this.skip();
    const profiled = await profileAndPlain(executorProgram(CRASHES.segfault));
    const { record, plain } = profiled;
    assertUnchangedAndClean(record, plain);
    const { task, worker } = crashedTask(profiled);
    assert.equal(worker.exitCode, -11);
    assert.ok(
      record.warnings.includes(
        `The worker ${task.pid} running job(2) was killed by SIGSEGV (a crash: it read or wrote memory it may not), so the pool broke and every pending future failed (BrokenProcessPool).`,
      ),
      JSON.stringify(record.warnings),
    );
  });

  for (const [crash, code] of [['exit', 'os._exit(1)'], ['segfault', 'ctypes.string_at(0)']] as const) {
    it(`Pool, ${code}: the task is kept, ok false, and the warning says that Pool replaces the worker and the task is lost`, async function () {
      if (crash === 'segfault' && process.platform === 'win32') this.skip();
      const profiled = await profileAndPlain(poolProgram(CRASHES[crash]));
      const { record, plain } = profiled;
      assert.equal(plain.stdout, '10\njob(2) never returned\n');
      assertUnchangedAndClean(record, plain);
      const { task, worker } = crashedTask(profiled);
      const ended = crash === 'exit' ? 'died with exit code 1 (os._exit, sys.exit or a crash)' : 'was killed by SIGSEGV (a crash: it read or wrote memory it may not)';
      assert.equal(worker.exitCode, crash === 'exit' ? 1 : -11);
      assert.ok(
        record.warnings.includes(
          `The worker ${task.pid} running job(2) ${ended}. Pool starts a new worker in its place, but this task is lost: its result never comes, so a get() or map() waiting for it waits forever unless it has a timeout.`,
        ),
        JSON.stringify(record.warnings),
      );
      assert.ok(record.processes.filter((p) => p.role === 'pool-worker').length >= 3, 'Pool started a worker in place of the dead one');
    });
  }
});
