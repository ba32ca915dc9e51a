// The Python tracer (runtimes/python) against the real event server: real interpreters run
// small multiprocessing programs, and the records they send are checked for every process.

import { strict as assert } from 'node:assert';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { START_METHODS, type StartMethod } from '../../src/shared/runRecord';
import {
  runTraced as runTracedFile,
  runUntraced as runUntracedFile,
  type ProgramOutput,
  type TracedRun,
  type TracedRunOptions,
} from '../helpers/tracedPython';
import { itWithPython } from '../helpers/pythonVersions';

const PROGRAMS: Record<string, string> = {
  'counter.py': `
import multiprocessing as mp

def work(counter):
    with counter.get_lock():
        counter.value += 1

if __name__ == "__main__":
    counter = mp.Value("i", 0)
    processes = [mp.Process(target=work, args=(counter,)) for _ in range(10)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(counter.value)
`,
  'endings.py': `
import multiprocessing as mp
import time

def short():
    time.sleep(0.002)

def fail():
    raise ValueError("boom")

def linger():
    time.sleep(30)

if __name__ == "__main__":
    for name, target in (("short", short), ("fail", fail)):
        p = mp.Process(target=target, name=name)
        p.start()
        p.join()
        print(name, p.exitcode)
    p = mp.Process(target=linger, name="linger")
    p.start()
    time.sleep(0.3)
    p.terminate()
    p.join()
    print("linger", p.exitcode)
`,
  'pools.py': `
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

def square(x):
    return x * x

if __name__ == "__main__":
    # close + join rather than the with block, whose terminate() could kill a spawn worker
    # that is still starting and has not yet told the tracer what it is.
    pool = mp.Pool(2)
    print(pool.map(square, range(4)))
    pool.close()
    pool.join()
    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(square, range(4))))
`,
  // No main guard: under spawn the child re-runs the top level and multiprocessing stops it.
  'no_guard.py': `
import multiprocessing as mp
mp.set_start_method("spawn", force=True)

def work():
    pass

p = mp.Process(target=work)
p.start()
p.join()
print("exit code", p.exitcode)
`,
  'noisy.py': `
import multiprocessing as mp
import sys

def work():
    print("child says hi", flush=True)

if __name__ == "__main__":
    p = mp.get_context("fork").Process(target=work)
    p.start()
    p.join()
    print("out", p.exitcode)
    sys.stderr.write("err line\\n")
    sys.exit(3)
`,
  'shadowed/sitecustomize.py': `
MARK = "the shadowed sitecustomize ran"
`,
  'uses_shadowed.py': `
import sitecustomize
print(sitecustomize.MARK)
`,
};

let programDir: string;

before(async () => {
  programDir = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-tracer-test-'));
  for (const [name, text] of Object.entries(PROGRAMS)) {
    await mkdir(path.dirname(path.join(programDir, name)), { recursive: true });
    await writeFile(path.join(programDir, name), text);
  }
});

after(async () => {
  await rm(programDir, { recursive: true, force: true });
});

/** A program of PROGRAMS, run traced (see test/helpers/tracedPython.ts). */
function runTraced(program: string, options: TracedRunOptions = {}): Promise<TracedRun> {
  return runTracedFile(path.join(programDir, program), options);
}

function runUntraced(program: string, python?: string, extraPythonPath?: string): Promise<ProgramOutput> {
  return runUntracedFile(path.join(programDir, program), python, extraPythonPath);
}

/** Each process as the records describe it, with its role and name after process-role. */
interface TracedProcess {
  pid: number;
  ppid: number;
  role: string;
  name: string;
  startMethod?: string;
  end?: { exitCode: number | null; cpuMs: number; t: number };
  startT: number;
}

function processesOf(records: TracerRecord[]): Map<number, TracedProcess> {
  const processes = new Map<number, TracedProcess>();
  for (const record of records) {
    if (record.type === 'process-start') {
      assert.ok(!processes.has(record.pid), `pid ${record.pid} started twice`);
      processes.set(record.pid, { pid: record.pid, ppid: record.ppid, role: record.role, name: record.name, startMethod: record.startMethod, startT: record.t });
    }
  }
  for (const record of records) {
    const known = 'pid' in record ? processes.get(record.pid) : undefined;
    if (record.type === 'process-role') {
      assert.ok(known, `process-role for unknown pid ${record.pid}`);
      Object.assign(known, { role: record.role, name: record.name });
    } else if (record.type === 'process-end') {
      assert.ok(known, `process-end for unknown pid ${record.pid}`);
      assert.equal(known.end, undefined, `pid ${record.pid} ended twice`);
      known.end = { exitCode: record.exitCode, cpuMs: record.cpuMs, t: record.t };
    }
  }
  return processes;
}

function childExits(records: TracerRecord[]): Map<number, number> {
  const exits = new Map<number, number>();
  for (const record of records) if (record.type === 'child-exit') exits.set(record.pid, record.exitCode);
  return exits;
}

function withRole(processes: Map<number, TracedProcess>, role: string): TracedProcess[] {
  return [...processes.values()].filter((p) => p.role === role);
}

function mainOf(result: TracedRun): TracedProcess {
  const mains = withRole(processesOf(result.records), 'main');
  assert.equal(mains.length, 1, 'exactly one main process');
  assert.equal(mains[0].pid, result.pid, 'the main is the interpreter the host started');
  assert.equal(mains[0].ppid, process.pid, 'the main is a child of the host');
  return mains[0];
}

function assertCounterRun(result: TracedRun, method: StartMethod): void {
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, '10\n');
  assert.equal(result.exitCode, 0);
  const processes = processesOf(result.records);
  const main = mainOf(result);
  assert.equal(main.name, 'MainProcess');
  assert.equal(main.startMethod, method);
  assert.ok(main.end, 'the main reports its end');
  assert.equal(main.end.exitCode, null);
  const methodsUsed = result.records.flatMap((r) => (r.type === 'start-method' && r.pid === main.pid ? [r.method] : []));
  assert.deepEqual(methodsUsed, [method]);

  const helpers = withRole(processes, 'other');
  const helperNames = helpers.map((p) => p.name).sort();
  const expectedHelpers = { fork: [], spawn: ['resource_tracker'], forkserver: ['forkserver', 'resource_tracker'] }[method];
  if (method === 'fork') assert.ok(helperNames.every((name) => name === 'resource_tracker'), helperNames.join());
  else assert.deepEqual(helperNames, expectedHelpers);
  for (const helper of helpers) assert.equal(helper.ppid, main.pid, `${helper.name} is started by the main`);
  const forkserver = helpers.find((p) => p.name === 'forkserver');

  const children = withRole(processes, 'process');
  assert.equal(children.length, 10);
  assert.equal(new Set([main.pid, ...children.map((c) => c.pid)]).size, 11, '11 distinct pids');
  assert.deepEqual(children.map((c) => c.name).sort(), Array.from({ length: 10 }, (_, i) => `Process-${i + 1}`).sort());
  const exits = childExits(result.records);
  for (const child of children) {
    assert.equal(child.ppid, method === 'forkserver' ? forkserver?.pid : main.pid, `parent of ${child.name}`);
    assert.ok(child.end, `${child.name} reports its end`);
    assert.equal(child.end.exitCode, 0);
    assert.ok(child.end.cpuMs >= 0 && child.end.t >= child.startT, `${child.name} end ${JSON.stringify(child.end)}`);
    assert.equal(exits.get(child.pid), 0, `the main saw ${child.name} exit`);
  }
}

describe('Python tracer', function () {
  this.timeout(30000);
  this.slow(4000);

  for (const method of START_METHODS) {
    it(`reports the counter example's 11 processes under ${method}`, async () => {
      assertCounterRun(await runTraced('counter.py', { startMethod: method }), method);
    });
  }

  for (const version of ['3.8', '3.13']) {
    for (const method of ['fork', 'spawn'] as const) {
      itWithPython(version, `works on Python ${version} under ${method}`, async (python) => {
        assertCounterRun(await runTraced('counter.py', { python, startMethod: method }), method);
      });
    }
  }

  for (const method of ['fork', 'spawn'] as const) {
    it(`reports a 2 ms child with its CPU, a failing child and a terminated one under ${method}`, async () => {
      const result = await runTraced('endings.py', { startMethod: method });
      assert.equal(result.exitCode, 0);
      const lines = result.stdout.trim().split('\n');
      assert.deepEqual(lines.slice(0, 2), ['short 0', 'fail 1']);
      assert.match(lines[2], /^linger -\d+$/);
      const byName = new Map(withRole(processesOf(result.records), 'process').map((p) => [p.name, p]));
      const exits = childExits(result.records);
      const short = byName.get('short');
      assert.ok(short?.end, 'the short child reports its end');
      assert.equal(short.end.exitCode, 0);
      assert.ok(short.end.cpuMs > 0, 'a short child still has CPU time');
      const failing = byName.get('fail');
      assert.equal(failing?.end?.exitCode, 1);
      assert.equal(exits.get(failing.pid), 1);
      const lingering = byName.get('linger');
      assert.ok(lingering, 'the terminated child was reported');
      assert.ok((exits.get(lingering.pid) ?? 0) < 0, 'a terminated child exits with a negative code');
    });
  }

  for (const method of ['fork', 'spawn'] as const) {
    it(`marks Pool and ProcessPoolExecutor processes as pool workers under ${method}`, async () => {
      const result = await runTraced('pools.py', { startMethod: method });
      assert.equal(result.stdout, '[0, 1, 4, 9]\n[0, 1, 4, 9]\n');
      const workers = withRole(processesOf(result.records), 'pool-worker');
      const main = mainOf(result);
      assert.equal(workers.filter((w) => /PoolWorker-\d+$/.test(w.name)).length, 2, 'two Pool workers');
      assert.equal(workers.filter((w) => /Process-\d+$/.test(w.name)).length, 2, 'two executor workers');
      assert.ok(workers.every((w) => w.ppid === main.pid));
      assert.equal(withRole(processesOf(result.records), 'process').length, 0);
    });
  }

  it('warns about a missing main guard under spawn without changing the output', async () => {
    const [traced, untraced] = await Promise.all([runTraced('no_guard.py'), runUntraced('no_guard.py')]);
    assert.equal(traced.stdout, untraced.stdout);
    assert.equal(traced.stderr, untraced.stderr);
    assert.match(traced.stderr, /An attempt has been made to start a new process/);
    assert.equal(traced.exitCode, untraced.exitCode);
    const warnings = traced.records.flatMap((r) => (r.type === 'warning' ? [r.message] : []));
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes('if __name__ == "__main__":'), warnings[0]);
  });

  it('runs a sitecustomize it shadows, traced or not', async () => {
    const shadowed = path.join(programDir, 'shadowed');
    const traced = await runTraced('uses_shadowed.py', { extraPythonPath: shadowed });
    assert.equal(traced.stderr, '');
    assert.equal(traced.stdout, 'the shadowed sitecustomize ran\n');
    assert.equal(mainOf(traced).name, 'MainProcess');
    const untraced = await runTraced('uses_shadowed.py', { extraPythonPath: shadowed, tracer: 'off' });
    assert.equal(untraced.stdout, 'the shadowed sitecustomize ran\n');
  });

  it('connects nowhere and changes nothing without PARALLEL_LAB_SOCKET', async () => {
    const [traced, untraced] = await Promise.all([runTraced('noisy.py', { tracer: 'off' }), runUntraced('noisy.py')]);
    assert.equal(traced.linesReceived, 0);
    assert.deepEqual([traced.stdout, traced.stderr, traced.exitCode], [untraced.stdout, untraced.stderr, untraced.exitCode]);
  });

  for (const tracer of ['wrong-socket', 'bad-t0'] as const) {
    it(`keeps the program's output and exit code with a ${tracer}`, async () => {
      const [traced, untraced] = await Promise.all([runTraced('noisy.py', { tracer }), runUntraced('noisy.py')]);
      assert.deepEqual([traced.stdout, traced.stderr, traced.exitCode], ['child says hi\nout 0\n', 'err line\n', 3]);
      assert.deepEqual([traced.stdout, traced.stderr, traced.exitCode], [untraced.stdout, untraced.stderr, untraced.exitCode]);
      assert.equal(traced.linesReceived, 0);
    });
  }

  it('keeps the output and exit code of a traced program', async () => {
    const [traced, untraced] = await Promise.all([runTraced('noisy.py'), runUntraced('noisy.py')]);
    assert.deepEqual([traced.stdout, traced.stderr, traced.exitCode], [untraced.stdout, untraced.stderr, untraced.exitCode]);
    assert.equal(withRole(processesOf(traced.records), 'process').length, 1);
  });
});
