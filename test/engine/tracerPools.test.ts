// Pool tasks as the Python tracer reports them: multiprocessing.Pool and ProcessPoolExecutor
// programs run under each start method, and the `task-batch` records of the workers and the
// `task-submit` records of the parent are checked against each other and the processes.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { START_METHODS, type StartMethod } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import {
  type TaskEvent,
  type TracedRun,
  lineOf,
  rolesOf,
  runTraced,
  runUntraced,
  sitesOf,
  submitsOf,
  tasksOf,
} from '../helpers/tracedPython';
import { itWithPython } from '../helpers/pythonVersions';

const MAPS = `
  import multiprocessing as mp
  from concurrent.futures import ProcessPoolExecutor

  def square(x):
      return x * x

  if __name__ == "__main__":
      with ProcessPoolExecutor(2) as executor:
          print(list(executor.map(square, range(5))))  # executor map
          print(list(executor.map(square, range(5), chunksize=2)))  # executor chunks
      pool = mp.Pool(2)
      print(pool.map(square, range(5)))  # pool map
      print(pool.map(square, range(5), chunksize=2))  # pool chunks
      pool.close()
      pool.join()
`;

const EVERY_API = `
  import multiprocessing as mp
  from concurrent.futures import ProcessPoolExecutor

  def square(x):
      return x * x

  def add(a, b):
      return a + b

  def fail(x):
      raise ValueError(x)

  if __name__ == "__main__":
      with mp.Pool(2) as pool:
          print(sorted(pool.imap_unordered(square, range(3))))
          print(list(pool.imap(square, range(4), chunksize=3)))
          print(pool.starmap(add, [(1, 2), (3, 4)]))
          print(pool.apply_async(square, (9,)).get())
          print(pool.map_async(add, [], chunksize=2).get())
          try:
              pool.apply(fail, (1,))
          except ValueError as error:
              print("pool task failed:", error)
      with ProcessPoolExecutor(2) as executor:
          print(executor.submit(add, 2, 3).result())
          print(type(executor.submit(fail, 2).exception()).__name__)
`;

const WITH_POOL_TEN_TIMES = `
  import multiprocessing as mp

  def square(x):
      return x * x

  if __name__ == "__main__":
      for _ in range(10):
          with mp.Pool(3) as pool:
              print(pool.map(square, range(5)))
`;

function byPool(tasks: TaskEvent[]): Map<string, TaskEvent[]> {
  const pools = new Map<string, TaskEvent[]>();
  for (const task of tasks) pools.set(task.pool, [...(pools.get(task.pool) ?? []), task]);
  return pools;
}

function assertRunByPoolWorkers(run: TracedRun, tasks: TaskEvent[]): void {
  const roles = rolesOf(run.records);
  for (const task of tasks) {
    assert.equal(roles.get(task.pid), 'pool-worker', `task ${task.submitKey} ran in a pool worker`);
    assert.ok(task.endMs >= task.startMs && task.startMs > 0);
    assert.equal(task.site, null, 'the submit site is the parent\'s, paired through submitKey');
  }
}

/** Every task has exactly one submit from the main, keyed alike, made before it started. */
function assertSubmitsPair(run: TracedRun, tasks: TaskEvent[]): void {
  const submits = new Map(submitsOf(run.records).map((s) => [s.submitKey, s]));
  for (const task of tasks) {
    assert.ok(task.submitKey, 'a task has a submit key');
    const submit = submits.get(task.submitKey);
    assert.ok(submit, `no submit for ${task.submitKey}`);
    assert.equal(submit.pid, run.pid);
    assert.ok(submit.submitMs <= task.startMs, `submitted at ${submit.submitMs}, started at ${task.startMs}`);
  }
  assert.equal(new Set(tasks.map((t) => t.submitKey)).size, tasks.length, 'submit keys are unique');
}

function submitLine(run: TracedRun, task: TaskEvent): number | undefined {
  const submit = submitsOf(run.records).find((s) => s.submitKey === task.submitKey);
  return submit ? sitesOf(run.records)(submit.pid, submit.site)?.line : undefined;
}

function assertMaps(run: TracedRun, file: string): void {
  assert.equal(run.stdout, '[0, 1, 4, 9, 16]\n'.repeat(4));
  const tasks = tasksOf(run.records);
  assertRunByPoolWorkers(run, tasks);
  assertSubmitsPair(run, tasks);
  assert.ok(tasks.every((t) => t.fn === 'square' && t.ok));
  const source = readFileSync(file, 'utf8');
  const pools = [...byPool(tasks).values()];
  assert.equal(pools.length, 2, 'one executor and one Pool');
  for (const pool of pools) {
    const byLine = new Map<number | undefined, TaskEvent[]>();
    for (const task of pool) {
      const line = submitLine(run, task);
      byLine.set(line, [...(byLine.get(line) ?? []), task]);
    }
    const isExecutor = byLine.has(lineOf(source, '# executor map'));
    const plain = byLine.get(lineOf(source, isExecutor ? '# executor map' : '# pool map')) ?? [];
    const chunked = byLine.get(lineOf(source, isExecutor ? '# executor chunks' : '# pool chunks')) ?? [];
    assert.equal(plain.reduce((sum, t) => sum + t.items, 0), 5, 'the plain map accounts for all 5 items');
    assert.deepEqual(chunked.map((t) => t.items).sort(), [1, 2, 2], 'chunksize=2 over 5 items');
    assert.equal(byLine.size, 2, `submits come from the two map lines: ${[...byLine.keys()].join()}`);
  }
}

describe('Python tracer: pool tasks', function () {
  this.timeout(90000);
  this.slow(8000);

  for (const method of START_METHODS) {
    it(`reports every item of executor.map and Pool.map, plain and chunked, under ${method}`, async () => {
      const file = writeProgram('maps.py', MAPS);
      const [run, untraced] = await Promise.all([runTraced(file, { startMethod: method }), runUntraced(file)]);
      assertMaps(run, file);
      assert.equal(run.stdout, untraced.stdout);
      assert.equal(run.stderr, untraced.stderr);
    });
  }

  for (const version of ['3.8', '3.13']) {
    for (const method of ['fork', 'spawn'] as StartMethod[]) {
      itWithPython(version, `reports map tasks on Python ${version} under ${method}`, async (python) => {
        const file = writeProgram('maps.py', MAPS);
        assertMaps(await runTraced(file, { python, startMethod: method }), file);
      });
    }
  }

  for (const method of START_METHODS) {
    it(`reports imap, imap_unordered, starmap, apply_async, apply and submit, and failures, under ${method}`, async () => {
      const file = writeProgram('every_api.py', EVERY_API);
      const [run, untraced] = await Promise.all([runTraced(file, { startMethod: method }), runUntraced(file)]);
      assert.equal(run.stdout, untraced.stdout);
      assert.equal(run.stderr, untraced.stderr);
      assert.equal(run.stdout, '[0, 1, 4]\n[0, 1, 4, 9]\n[3, 7]\n81\n[]\npool task failed: 1\n5\nValueError\n');
      const tasks = tasksOf(run.records);
      assertRunByPoolWorkers(run, tasks);
      assertSubmitsPair(run, tasks);
      const source = readFileSync(file, 'utf8');
      const summary = (line: string): string[] =>
        tasks
          .filter((t) => submitLine(run, t) === lineOf(source, line))
          .map((t) => `${t.fn}:${t.items}:${t.ok}`)
          .sort();
      assert.deepEqual(summary('pool.imap_unordered('), ['square:1:true', 'square:1:true', 'square:1:true']);
      assert.deepEqual(summary('pool.imap('), ['square:1:true', 'square:3:true']);
      assert.deepEqual(summary('pool.starmap('), ['add:1:true', 'add:1:true']);
      assert.deepEqual(summary('pool.apply_async('), ['square:1:true']);
      assert.deepEqual(summary('pool.map_async('), [], 'an empty map runs no task');
      assert.deepEqual(summary('pool.apply(fail'), ['fail:1:false']);
      assert.deepEqual(summary('executor.submit(add'), ['add:1:true']);
      assert.deepEqual(summary('executor.submit(fail'), ['fail:1:false']);
      assert.equal(tasks.length, 11);
    });
  }

  for (const method of START_METHODS) {
    it(`keeps every task record of ten \`with Pool()\` blocks ended by terminate() under ${method}`, async () => {
      const file = writeProgram('with_pool.py', WITH_POOL_TEN_TIMES);
      const run = await runTraced(file, { startMethod: method });
      assert.equal(run.stdout, '[0, 1, 4, 9, 16]\n'.repeat(10));
      const tasks = tasksOf(run.records);
      const pools = byPool(tasks);
      assert.equal(pools.size, 10, 'ten pools reported tasks');
      for (const [pool, poolTasks] of pools) {
        assert.equal(poolTasks.reduce((sum, t) => sum + t.items, 0), 5, `pool ${pool} accounts for all 5 items`);
      }
      assertRunByPoolWorkers(run, tasks);
      assertSubmitsPair(run, tasks);
    });
  }
});
