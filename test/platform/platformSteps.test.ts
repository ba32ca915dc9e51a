// The steps that differ most between Linux, macOS and Windows, written once for all three:
// here they run on Linux, and .github/workflows/platforms.yml runs them on macOS and Windows.
// A venv's interpreter (a redirector that starts the base interpreter on Windows), a burst of
// 16 spawned workers connecting at once (named pipes there), a stop that must reach a
// non-Python grandchild, and a 5 ms lock hold timed on the tracer's clock.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun, type RunRequest } from '../../src/extension/engine/run/profileRun';
import { isProcessAlive } from '../../src/extension/engine/run/processTree';
import type { LockEventList, RunRecord } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';

async function profile(request: RunRequest): Promise<RunRecord<LockEventList>> {
  return (await ProfileRun.start(request)).finished;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('steps that differ by platform (real processes)', function () {
  this.timeout(120000);

  it("runs a venv's interpreter as one traced main carrying the program's exit code", async () => {
    const venv = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-venv-')), 'venv');
    const made = spawnSync(DEFAULT_PYTHON, ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const python = process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
    const file = writeProgram('in_venv.py', 'import sys\nprint(sys.prefix)\nsys.exit(3)\n');
    const record = await profile({ file, python });
    assert.equal(record.exitCode, 3, record.stderr);
    assert.equal(path.resolve(record.stdout.trim()), path.resolve(venv), 'the program ran in the venv');
    const mains = record.processes.filter((p) => p.role === 'main');
    assert.equal(mains.length, 1, `one main: ${JSON.stringify(record.processes.map((p) => [p.pid, p.role, p.name]))}`);
    assert.ok(mains[0].traced, 'the tracer reported the main');
    assert.equal(mains[0].exitCode, 3);
  });

  it('traces all 16 workers of a spawn pool that start at once, and every task', async () => {
    const file = writeProgram(
      'sixteen.py',
      `
import multiprocessing as mp
import os

def meet(barrier):
    # Every worker up before any task: otherwise the first few do all 64 tasks and the
    # pool ends the others while they still start.
    barrier.wait(60)

def where(x):
    return os.getpid()

if __name__ == "__main__":
    spawn = mp.get_context("spawn")
    barrier = spawn.Barrier(16)
    with spawn.Pool(16, initializer=meet, initargs=(barrier,)) as pool:
        print(len(set(pool.map(where, range(64), chunksize=1))) > 0)
`,
    );
    const record = await profile({ file });
    assert.equal(record.exitCode, 0, record.stderr);
    const workers = record.processes.filter((p) => p.role === 'pool-worker');
    assert.equal(workers.length, 16, `16 workers traced: ${JSON.stringify(record.processes.map((p) => [p.pid, p.role, p.traced]))}`);
    assert.ok(workers.every((w) => w.traced));
    assert.equal(record.tasks.reduce((sum, task) => sum + task.items, 0), 64);
    assert.deepEqual({ malformed: record.events.malformed, unauthenticated: record.events.unauthenticated }, { malformed: 0, unauthenticated: 0 });
  });

  it('leaves no ping behind when a run is stopped', async () => {
    const file = writeProgram(
      'pinger.py',
      `
import subprocess, sys, time
count = "-n" if sys.platform == "win32" else "-c"
child = subprocess.Popen(["ping", count, "1000", "127.0.0.1"], stdout=subprocess.DEVNULL)
print(child.pid, flush=True)
time.sleep(120)
`,
    );
    let output = '';
    let announced: () => void = () => undefined;
    const pingStarted = new Promise<void>((resolve) => (announced = resolve));
    const run = await ProfileRun.start(
      { file },
      {
        onOutput: (stream, text) => {
          if (stream === 'stdout') output += text;
          if (output.includes('\n')) announced();
        },
      },
    );
    await pingStarted;
    const pingPid = Number(output.trim());
    assert.ok(isProcessAlive(pingPid), 'ping runs');
    await run.stop();
    const record = await run.finished;
    assert.equal(record.outcome, 'stopped');
    assert.equal(isProcessAlive(pingPid), false, `ping ${pingPid} was left behind`);
  });

  it('records a 5 ms lock hold as 4 to 8 ms', async () => {
    const file = writeProgram(
      'hold.py',
      `
import multiprocessing as mp
import time

def hold(lock):
    for _ in range(7):
        with lock:
            # Busy for 5 ms on the finest clock: time.sleep is coarse on some Windows Pythons.
            end = time.perf_counter() + 0.005
            while time.perf_counter() < end:
                pass
        time.sleep(0.02)

if __name__ == "__main__":
    lock = mp.Lock()
    child = mp.Process(target=hold, args=(lock,))
    child.start()
    child.join()
`,
    );
    const record = await profile({ file });
    assert.equal(record.exitCode, 0, record.stderr);
    const learnerLocks = new Set(record.locks.filter((lock) => !lock.internal).map((lock) => lock.id));
    const holds = [...record.lockEvents]
      .filter((event) => learnerLocks.has(event.lock) && event.acquiredMs !== null && event.releasedMs !== null)
      .map((event) => event.releasedMs! - event.acquiredMs!);
    assert.equal(holds.length, 7, `every hold recorded: ${JSON.stringify(holds)}`);
    const typical = median(holds);
    assert.ok(typical >= 4 && typical <= 8, `a 5 ms hold recorded as ${typical} ms (all: ${JSON.stringify(holds)})`);
  });
});
