// Python's clock is not always Node's. On macOS Node's monotonic clock counts through sleep and
// Python's does not, so after a laptop has slept the two differ by hours. A Linux time
// namespace gives Python the same situation for real: its monotonic clock an hour ahead of
// the host's. A wrapper execs the interpreter inside the namespace (same pid, as a launcher
// that execs), and the run must still put every process, lock, message and task inside it.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { SAME_CLOCK_MS, TracerClocks } from '../../src/extension/engine/tracer/tracerClocks';
import type { LockEventList, RunRecord } from '../../src/shared/runRecord';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';
import { writeProgram } from '../helpers/pythonPrograms';

const AHEAD_S = 3600;
const HELPERS_END_MS = 200;

/** Locks, a queue, a pool and both kinds of child: every kind of time the tracer sends. */
const PROGRAM = `
import multiprocessing as mp
import sys

def add(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1

def square(x):
    return x * x

def send(queue):
    queue.put("hello")

if __name__ == "__main__":
    mp.set_start_method(sys.argv[1])
    counter = mp.Value("i", 0)
    workers = [mp.Process(target=add, args=(counter, 2000)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue = mp.Queue()
    sender = mp.Process(target=send, args=(queue,))
    sender.start()
    print(queue.get())
    sender.join()
    with mp.Pool(2) as pool:
        print(sum(pool.map(square, range(20))))
    print(counter.value)
`;

/**
 * A process whose monotonic clock runs `AHEAD_S` ahead of ours: `pid` is the one to enter.
 * `end()` ends it: unshare ignores signals while it waits for its child, so the child
 * (whose end ends unshare too) is the one to kill.
 */
function timeNamespaceHolder(): { pid: number; end: () => void } {
  const holder = spawn('unshare', ['--time', `--monotonic=${AHEAD_S}`, '--fork', 'sleep', '600'], { stdio: 'ignore' });
  // Whatever happens, the holder never keeps the test run from ending.
  holder.unref();
  // unshare forks the sleep into the new namespace: the namespace to enter is the child's.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const children = readChildren(holder.pid!);
    if (children.length > 0) return { pid: children[0], end: () => process.kill(children[0], 'SIGKILL') };
    spawnSync('sleep', ['0.02']);
  }
  holder.kill('SIGKILL');
  throw new Error('unshare --time started no child: are time namespaces available (Linux 5.6+, root)?');
}

function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function allTimes(record: RunRecord<LockEventList>): Array<[string, number]> {
  const times: Array<[string, number]> = [];
  for (const p of record.processes) {
    times.push([`start of ${p.name} (${p.pid})`, p.startMs]);
    if (p.endMs !== null) times.push([`end of ${p.name} (${p.pid})`, p.endMs]);
  }
  for (const event of record.lockEvents) {
    for (const t of [event.requestMs, event.acquiredMs, event.releasedMs]) if (t !== null) times.push([`lock ${event.lock}`, t]);
  }
  for (const event of record.ipcEvents) times.push([`${event.op} on ${event.channel}`, event.t]);
  for (const task of record.tasks) {
    times.push([`task ${task.fn} start`, task.startMs], [`task ${task.fn} end`, task.endMs]);
    if (task.submitMs !== undefined) times.push([`task ${task.fn} submit`, task.submitMs]);
  }
  return times;
}

describe('tracer clocks: times on the run axis when Python reads another clock', function () {
  it('takes readings within a second behind the host as the host clock, exactly', () => {
    const clocks = new TracerClocks();
    assert.equal(clocks.place(100, 100.4), 0);
    assert.equal(clocks.offsetMs(clocks.place(99, 99 + SAME_CLOCK_MS - 1)), 0, 'a late delivery is still the host clock');
  });

  it('gives every process on one other clock the tightest offset any of them showed, and follows a jump', () => {
    const clocks = new TracerClocks();
    const first = clocks.place(3_600_010, 10.5); // arrived 0.5 ms after it was read
    const second = clocks.place(3_600_020, 20.1); // 0.1 ms
    assert.equal(first, second, 'one clock');
    assert.equal(clocks.offsetMs(first), 3_599_999.9);
    // A Mac sleeping for a minute during the run: Python's clock falls behind by the sleep.
    const after = clocks.place(3_600_030, 60_030.2);
    assert.notEqual(after, first);
    assert.equal(clocks.offsetMs(after), 3_540_000 - 0.2);
  });

  const registerNamespaceTests = process.platform === 'linux' && process.getuid?.() === 0;
  if (registerNamespaceTests) {
    for (const startMethod of ['fork', 'spawn'] as const) {
      it(`puts every time inside the run when Python's clock is an hour ahead (time namespace, ${startMethod})`, async () => {
        const holder = timeNamespaceHolder();
        try {
          const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-clock-'));
          const python = path.join(folder, 'python-an-hour-ahead');
          writeFileSync(python, `#!/bin/sh\nexec nsenter --time -t ${holder.pid} ${DEFAULT_PYTHON} "$@"\n`);
          chmodSync(python, 0o755);
          const ahead = spawnSync(python, ['-c', 'import time; print(time.monotonic())'], { encoding: 'utf8' });
          const here = spawnSync(DEFAULT_PYTHON, ['-c', 'import time; print(time.monotonic())'], { encoding: 'utf8' });
          assert.ok(Number(ahead.stdout) - Number(here.stdout) > AHEAD_S - 10, `the wrapper's clock is ahead: ${ahead.stdout} ${ahead.stderr}`);

          const file = writeProgram('clocks.py', PROGRAM);
          const run = await ProfileRun.start({ file, python, args: [startMethod] });
          const record = await run.finished;
          assert.equal(record.exitCode, 0, record.stderr);
          assert.equal(record.stdout, 'hello\n2470\n4000\n');
          const main = record.processes.filter((p) => p.role === 'main');
          assert.equal(main.length, 1);
          assert.ok(main[0].traced, 'the tracer reported the main');
          assert.ok(main[0].startMs >= 0 && main[0].startMs < 2000, `the main starts in the first 2 s: ${main[0].startMs}`);
          const items = record.tasks.reduce((sum, task) => sum + task.items, 0);
          const counts = { lockEvents: record.lockEvents.length, ipcEvents: record.ipcEvents.length, items };
          assert.ok(counts.lockEvents > 0 && counts.ipcEvents > 0 && items === 20, `every kind of event arrived: ${JSON.stringify(counts)}`);
          // The run ends with its main process; helpers such as the resource tracker may end just after.
          const outside = allTimes(record).filter(([, t]) => t < 0 || t > record.durationMs + HELPERS_END_MS);
          assert.deepEqual(outside.slice(0, 5), [], `${outside.length} times outside the run of ${record.durationMs} ms`);
        } finally {
          holder.end();
        }
      });
    }
  }
});
