// Lesson 5: pools hand tasks to a few workers and reuse them.

import { strict as assert } from 'node:assert';
import type { RunRecord } from '../../src/shared/runRecord';
import { runSample, withRole } from './lessonSupport';

/** Every pool worker ran at least one task, and no task ran outside the pool's workers. */
function assertTasksSpreadOverWorkers(record: RunRecord): void {
  const workers = withRole(record, 'pool-worker').map((worker) => worker.pid);
  assert.ok(workers.length >= 2, `at least two pool workers: ${JSON.stringify(record.processes.map((p) => [p.pid, p.role]))}`);
  assert.ok(record.tasks.length > 0, 'tasks are recorded');
  for (const pid of workers) {
    assert.ok(
      record.tasks.some((task) => task.pid === pid),
      `worker ${pid} ran at least one task (tasks by pid: ${JSON.stringify(record.tasks.map((task) => task.pid))})`,
    );
  }
  assert.ok(record.tasks.every((task) => workers.includes(task.pid)), 'every task ran on a pool worker');
}

describe('lesson 5: pools', function () {
  this.timeout(60_000);

  it('executor PIDs: every printed PID is a pool worker of the record', async () => {
    const record = await runSample('05-pools/executor_pids.py');
    const workers = withRole(record, 'pool-worker').map((worker) => worker.pid);
    const printed = [...record.stdout.matchAll(/handled by PID (\d+)/g)].map((match) => Number(match[1]));
    assert.equal(printed.length, 5);
    assert.ok(printed.every((pid) => workers.includes(pid)), `${printed} are among the workers ${workers}`);
  });

  it('submit and as_completed: twelve tasks spread over every worker, workers reused', async () => {
    const record = await runSample('05-pools/submit_as_completed.py');
    assert.equal([...record.stdout.matchAll(/^order +\d+/gm)].length, 12);
    assertTasksSpreadOverWorkers(record);
    const cooking = record.tasks.filter((task) => task.fn.includes('cook'));
    assert.equal(cooking.length, 12, `one task per order: ${JSON.stringify(record.tasks.map((task) => task.fn))}`);
    assert.ok(new Set(cooking.map((task) => task.pid)).size < cooking.length, 'fewer workers than tasks: workers are reused');
  });

  it('map with chunksize: chunks of ten items are single tasks, spread over every worker', async () => {
    const record = await runSample('05-pools/map_chunksize.py');
    assert.match(record.stdout, /chunksize 10: +4 tasks/);
    assertTasksSpreadOverWorkers(record);
    const chunks = record.tasks.filter((task) => task.items === 10);
    assert.equal(chunks.length, 4, `four tasks of ten items: ${JSON.stringify(record.tasks.map((task) => task.items))}`);
    assert.ok(record.tasks.every((task) => task.ok && task.endMs >= task.startMs));
  });
});
