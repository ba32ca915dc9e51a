// A task that kills its worker (os._exit(1), a segfault, a SIGKILL as the out-of-memory
// killer sends) under ProcessPoolExecutor and multiprocessing.Pool: the task stays in the
// record, ok false, ended with its worker, and a warning says in plain words which worker died
// running which call, how, and what that did to the pool. The program's output, traceback and
// exit code are what they are without the profiler, and the run leaves no process behind.
//
// A real out-of-memory kill is not arranged here: it needs a memory cgroup (root, and a
// writable cgroup file system, which containers seldom give), and a limit set with prlimit
// (RLIMIT_AS, RLIMIT_DATA) makes allocations fail with a MemoryError instead of a kill. What
// the kernel's killer does to the worker is a SIGKILL, which the task sends itself here.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LockEventList, ProcessEntry, RunRecord, StartMethod, TaskRecord } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON, lineOf } from '../helpers/tracedPython';

/** How each task kills its worker, the exit code Python's Process.exitcode gives, and the warning's words for it. */
const CRASHES = {
  exit: { code: 'os._exit(1)', exitCode: 1, executorEnded: 'died with exit code 1 (os._exit or a crash)', poolEnded: 'died with exit code 1 (os._exit, sys.exit or a crash)', after: '' },
  segfault: {
    code: 'ctypes.string_at(0)',
    exitCode: -11,
    executorEnded: 'was killed by signal 11 (SIGSEGV, a crash: it read or wrote memory it may not)',
    poolEnded: 'was killed by signal 11 (SIGSEGV, a crash: it read or wrote memory it may not)',
    after: '',
  },
  sigkill: {
    code: 'os.kill(os.getpid(), signal.SIGKILL)',
    exitCode: -9,
    executorEnded: 'was killed by signal 9 (SIGKILL)',
    poolEnded: 'was killed by signal 9 (SIGKILL)',
    after: " SIGKILL is what Linux's out-of-memory killer sends when the machine runs out of memory, so the task may have needed more memory than there was; a kill -9 sends it too.",
  },
} as const;

type Crash = keyof typeof CRASHES;

function executorProgram(crash: string): string {
  return `
    import ctypes
    import os
    import signal
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
    import signal

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
  for (const warning of record.warnings) assert.doesNotMatch(warning, /still running|never saw it start/, `no process left behind or lost: ${warning}`);
  for (const process of record.processes) {
    // The resource tracker ends once the main's end of its pipe closes, so a little after the
    // main (the record's end); every other process ends before the main does.
    const endBy = process.role === 'other' ? record.durationMs + 500 : record.durationMs;
    assert.ok(process.endMs !== null && process.endMs <= endBy, `ended: ${JSON.stringify(process)}`);
    assert.ok(!isRunning(process.pid), `process ${process.pid} (${process.role}) is gone`);
  }
}

/** Whether a process of this pid still runs; a zombie (ended, not yet reaped) does not. Linux reads its state. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

describe('a task that kills its worker', function () {
  this.timeout(120_000);

  const executorCases: Array<{ crash: Crash; startMethod?: StartMethod }> = [
    { crash: 'exit' },
    { crash: 'exit', startMethod: 'spawn' },
    { crash: 'segfault' },
    { crash: 'sigkill' },
  ];
  for (const { crash, startMethod } of executorCases) {
    const { code, exitCode, executorEnded, after } = CRASHES[crash];
    it(`ProcessPoolExecutor, ${code}${startMethod ? ` under ${startMethod}` : ''}: the task is kept, ok false, and the warning says how the worker ended and that the pool broke`, async function () {
      if (crash !== 'exit' && process.platform === 'win32') this.skip();
      const profiled = await profileAndPlain(executorProgram(code), startMethod);
      const { record, plain } = profiled;
      assert.match(plain.stderr, /BrokenProcessPool/, 'the pool broke');
      assertUnchangedAndClean(record, plain);
      const { task, worker } = crashedTask(profiled);
      assert.equal(worker.exitCode, exitCode);
      assert.ok(
        record.warnings.includes(
          `The worker ${task.pid} running job(2) ${executorEnded}, so the pool broke and every pending future failed (BrokenProcessPool).${after}`,
        ),
        JSON.stringify(record.warnings),
      );
    });
  }

  for (const crash of ['exit', 'segfault', 'sigkill'] as const) {
    const { code, exitCode, poolEnded, after } = CRASHES[crash];
    it(`Pool, ${code}: the task is kept, ok false, and the warning says that Pool replaces the worker and the task is lost`, async function () {
      if (crash !== 'exit' && process.platform === 'win32') this.skip();
      const profiled = await profileAndPlain(poolProgram(code));
      const { record, plain } = profiled;
      assert.equal(plain.stdout, '10\njob(2) never returned\n');
      assertUnchangedAndClean(record, plain);
      const { task, worker } = crashedTask(profiled);
      assert.equal(worker.exitCode, exitCode);
      assert.ok(
        record.warnings.includes(
          `The worker ${task.pid} running job(2) ${poolEnded}. Pool starts a new worker in its place, but this task is lost: its result never comes, so a get() or map() waiting for it waits forever unless it has a timeout.${after}`,
        ),
        JSON.stringify(record.warnings),
      );
      assert.ok(record.processes.filter((p) => p.role === 'pool-worker').length >= 3, 'Pool started a worker in place of the dead one');
    });
  }
});
