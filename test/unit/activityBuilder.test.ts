import { strict as assert } from 'node:assert';
import { ActivityBuilder } from '../../src/extension/engine/record/activityBuilder';
import type { TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import type { ProcessEntry } from '../../src/shared/runRecord';
import { applyDeltas, emptyLiveRecord, type LiveDelta } from '../../src/shared/liveDeltas';

function withSite(builder: ActivityBuilder, pid: number, id: number, line: number): void {
  builder.apply({ type: 'site', pid, id, file: '/x/a.py', line, function: 'f' });
}

describe('ActivityBuilder', () => {
  it('shows a deadlock\'s waits and holds live, and lets the complete cycle replace them', () => {
    const builder = new ActivityBuilder();
    withSite(builder, 10, 0, 7);
    builder.apply({ type: 'lock-new', pid: 10, lock: 'A', kind: 'Lock', api: 'Lock', internal: false, site: 0 });
    builder.apply({ type: 'lock-open', pid: 10, tid: 1, lock: 'B', requestMs: 5, acquiredMs: null, site: 0, held: [['A', 2, 0]] });
    builder.apply({ type: 'lock-open', pid: 10, tid: 1, lock: 'B', requestMs: 5, acquiredMs: null, site: 0, held: [['A', 2, 0]] });
    let events = [...builder.finish().lockEvents];
    assert.equal(events.length, 2, 'one wait and one hold, not repeated');
    const wait = events.find((e) => e.lock === 'B')!;
    assert.deepEqual([wait.acquiredMs, wait.site?.line], [null, 7]);
    builder.apply({ type: 'lock-batch', pid: 10, events: [[1, 'B', 5, 60, 70, 0], [1, 'A', 1, 2, 75, 0]] });
    events = [...builder.finish().lockEvents];
    assert.deepEqual(events.map((e) => [e.lock, e.requestMs, e.acquiredMs, e.releasedMs]), [['B', 5, 60, 70], ['A', 1, 2, 75]]);
  });

  it('pairs a release by another process with the earliest unreleased cycle of that lock', () => {
    const builder = new ActivityBuilder();
    builder.apply({ type: 'lock-batch', pid: 10, events: [[1, 'L', 1, 2, null, null], [1, 'L', 20, 30, null, null]] });
    builder.apply({ type: 'lock-release', pid: 11, events: [[1, 'L', 25, null]] });
    const [first, second] = builder.finish().lockEvents;
    assert.deepEqual([first.releasedMs, first.releasedBy], [25, 11]);
    assert.equal(second.releasedMs, null);
  });

  it('pairs messages FIFO per channel and direction, and pipe ends crosswise', () => {
    const builder = new ActivityBuilder();
    builder.apply({ type: 'ipc-batch', pid: 1, events: [['send', 'P', 0, 1, 0, 10, null], ['send', 'P', 0, 2, 0, 20, null], ['recv', 'P', 0, 4, 1, 30, null]] });
    builder.apply({ type: 'ipc-batch', pid: 2, events: [['recv', 'P', 1, 3, 1, 10, null], ['send', 'P', 1, 3.5, 0, 30, null], ['recv', 'P', 1, 5, 0, 20, null]] });
    const events = builder.finish().ipcEvents;
    const id = (pid: number, op: string, t: number): string | undefined => events.find((e) => e.pid === pid && e.op === op && e.t === t)?.message;
    assert.equal(id(1, 'send', 1), id(2, 'recv', 3));
    assert.equal(id(1, 'send', 2), id(2, 'recv', 5));
    assert.equal(id(2, 'send', 3.5), id(1, 'recv', 4));
    assert.notEqual(id(1, 'send', 1), id(1, 'send', 2));
    // The record file's fields, in its order: the pipe end used for pairing is not among them.
    assert.deepEqual(Object.keys(events[0]), ['channel', 'kind', 'op', 'pid', 't', 'waitMs', 'bytes', 'site', 'message']);
  });

  it('matches tasks with their submit time, sums aggregated lock counts across processes, and caps events', () => {
    const builder = new ActivityBuilder({ lockEvents: 1, ipcEvents: 10, tasks: 10 });
    builder.apply({ type: 'task-submit', pid: 1, events: [['1:0:0', 3, null]] });
    builder.apply({ type: 'task-batch', pid: 2, events: [['P', 'square', 2, 5, 9, true, null, '1:0:0']] });
    const stats = { type: 'lock-stats' as const, lock: 'H', sinceMs: 4, acquisitions: 100, totalWaitMs: 1, maxWaitMs: 0.5, totalHoldMs: 2, bucketsMs: [1, 10], waitHistogram: [99, 1, 0], holdHistogram: [100, 0, 0] };
    builder.apply({ ...stats, pid: 2 });
    builder.apply({ ...stats, pid: 3, sinceMs: 2, maxWaitMs: 0.7 });
    builder.apply({ type: 'lock-batch', pid: 2, events: [[1, 'L', 1, 2, 3, null], [1, 'L', 4, 5, 6, null]] });
    const activity = builder.finish();
    assert.equal(activity.tasks[0].submitMs, 3);
    assert.equal(activity.tasks[0].items, 2);
    assert.deepEqual(Object.keys(activity.tasks[0]), ['pool', 'pid', 'fn', 'items', 'startMs', 'endMs', 'ok', 'site', 'submitMs']);
    const aggregated = activity.locks.find((lock) => lock.id === 'H')!.aggregated!;
    assert.deepEqual([aggregated.acquisitions, aggregated.sinceMs, aggregated.maxWaitMs, aggregated.waitHistogram], [200, 2, 0.7, [198, 2, 0]]);
    assert.equal(activity.lockEvents.length, 1);
    assert.equal(builder.truncated, true);
  });

  it('drained after every record, gives a live view the joins as they are made, equal to what it finishes with', () => {
    // Arrivals out of time order, as flushes from several processes make them.
    const records: TracerRecord[] = [
      { type: 'lock-release', pid: 11, events: [[1, 'L', 25, null]] }, // before the cycle it closes
      { type: 'lock-batch', pid: 10, events: [[1, 'L', 1, 2, null, null]] },
      { type: 'lock-open', pid: 12, tid: 3, lock: 'M', requestMs: 40, acquiredMs: null, site: null, held: [['L', 30, null]] },
      { type: 'lock-release', pid: 11, events: [[1, 'L', 45, null]] }, // closes the hold shown from lock-open
      { type: 'lock-batch', pid: 12, events: [[3, 'M', 40, 50, 55, null], [3, 'L', 30, 30, null, null]] }, // the hold's complete cycle
      { type: 'lock-stats', pid: 12, lock: 'S', sinceMs: 3, acquisitions: 5, totalWaitMs: 1, maxWaitMs: 0.5, totalHoldMs: 2, bucketsMs: [1], waitHistogram: [5, 0], holdHistogram: [5, 0] },
      { type: 'lock-new', pid: 12, lock: 'S', kind: 'RLock', api: 'RLock', internal: false, site: null }, // after its counts
      { type: 'ipc-batch', pid: 20, events: [['get', 'q', 0, 12, 1, 8, null]] }, // a receipt before its send
      { type: 'ipc-batch', pid: 21, events: [['put', 'q', 0, 14, 0, 8, null], ['put', 'q', 0, 16, 0, 8, null]] },
      { type: 'ipc-batch', pid: 22, events: [['put', 'q', 0, 10, 0, 8, null]] }, // sent first, arrives last: takes the receipt
      { type: 'task-batch', pid: 30, events: [['p', 'f', 1, 5, 6, true, null, 'k1']] },
      { type: 'task-submit', pid: 31, events: [['k1', 4, null], ['k2', 7, null]] },
      { type: 'task-batch', pid: 30, events: [['p', 'f', 1, 8, 9, true, null, 'k2']] },
    ];
    const builder = new ActivityBuilder();
    const live = emptyLiveRecord({ file: 'a.py', argv: [], python: { executable: 'python3', version: '3.11.7' }, cores: 1, startedAt: '' });
    for (const record of records) {
      builder.apply(record as Parameters<ActivityBuilder['apply']>[0]);
      const deltas: LiveDelta[] = [];
      builder.drainChanges(deltas);
      applyDeltas(live, JSON.parse(JSON.stringify(deltas)) as LiveDelta[]);
    }
    const finished = JSON.parse(JSON.stringify(builder.finish())) as Record<string, unknown>;
    for (const field of ['locks', 'lockEvents', 'channels', 'ipcEvents', 'tasks'] as const) assert.deepEqual(live[field], finished[field], field);
    assert.deepEqual(live.lockEvents.map((e) => [e.lock, e.acquiredMs, e.releasedMs, e.releasedBy]), [['L', 2, 25, 11], ['M', 50, 55, undefined], ['L', 30, 45, 11]]);
    assert.deepEqual(live.ipcEvents.map((e) => [e.op, e.t, e.message]), [['get', 12, 'q#0'], ['put', 14, undefined], ['put', 16, undefined], ['put', 10, 'q#0']]);
    assert.deepEqual(live.tasks.map((t) => t.submitMs), [4, 7]);
    assert.deepEqual(live.locks.map((l) => [l.id, l.kind, l.aggregated?.acquisitions]), [['S', 'RLock', 5]]);
  });

  it('keeps the tasks a worker took and never finished, ended with their worker, each with a warning', () => {
    const builder = new ActivityBuilder();
    builder.apply({ type: 'task-submit', pid: 1, events: [['E:0', 1, null], ['E:1', 1, null], ['E:2', 1, null]] });
    // Worker 2 finishes job(0) and dies in job(1); worker 3 is ended with the broken pool; worker 5 ran Pool's task.
    builder.apply({ type: 'task-start', pid: 2, events: [['E', 'ProcessPoolExecutor', 'job', 1, 2, 'E:0', 'job(0)']] });
    builder.apply({ type: 'task-batch', pid: 2, events: [['E', 'job', 1, 2, 3, true, null, 'E:0']] });
    builder.apply({ type: 'task-start', pid: 3, events: [['E', 'ProcessPoolExecutor', 'job', 1, 4, 'E:2', 'job(…)']] });
    builder.apply({ type: 'task-start', pid: 2, events: [['E', 'ProcessPoolExecutor', 'job', 1, 5, 'E:1', 'job(1)']] });
    builder.apply({ type: 'task-start', pid: 5, events: [['P', 'Pool', 'job', 3, 6, null, '3 calls of job']] });
    const ends: Record<number, { endMs: number; exitCode: number | null }> = { 2: { endMs: 8, exitCode: -11 }, 3: { endMs: 9, exitCode: -15 }, 5: { endMs: 7, exitCode: 1 } };
    const processOf = (pid: number): ProcessEntry | undefined =>
      ends[pid] && { pid, ppid: 1, name: 'w', role: 'pool-worker', startMs: 0, cpuMs: null, traced: true, samples: [], ...ends[pid] };
    assert.equal(builder.finish().tasks.length, 1, 'not before the run is over');
    const warnings = builder.closeUnfinishedTasks({ processOf, allRead: () => true }, { durationMs: 20, stopped: false });
    const tasks = builder.finish().tasks;
    assert.deepEqual(
      tasks.map((t) => [t.pid, t.ok, t.startMs, t.endMs, t.submitMs, t.workerExitCode]),
      [[2, true, 2, 3, 1, undefined], [5, false, 6, 7, undefined, 1], [2, false, 5, 8, 1, -11], [3, false, 4, 9, 1, -15]],
    );
    assert.deepEqual(warnings, [
      'The worker 5 running 3 calls of job died with exit code 1 (os._exit, sys.exit or a crash). Pool starts a new worker in its place, but this task is lost: its result never comes, so a get() or map() waiting for it waits forever unless it has a timeout.',
      'The worker 2 running job(1) was killed by signal 11 (SIGSEGV, a crash: it read or wrote memory it may not), so the pool broke and every pending future failed (BrokenProcessPool).',
      'The worker 3 running job(…) was killed by signal 15 (SIGTERM, ended from outside) after the pool had broken: ProcessPoolExecutor then ends its other workers, so this task did not finish either.',
    ]);
    assert.deepEqual(builder.closeUnfinishedTasks({ processOf, allRead: () => true }, { durationMs: 20, stopped: false }), [], 'each only once');
  });

  it('says that the run was stopped when a worker that was running a task was ended by the stop', () => {
    const builder = new ActivityBuilder();
    builder.apply({ type: 'task-start', pid: 2, events: [['P', 'Pool', 'job', 1, 2, null, 'job(1)']] });
    const warnings = builder.closeUnfinishedTasks({ processOf: () => undefined, allRead: () => true }, { durationMs: 20, stopped: true });
    assert.deepEqual(warnings, ['Parallel Lab stopped the run while worker 2 was running job(1), so that task did not finish.']);
    assert.deepEqual(builder.finish().tasks.map((t) => [t.ok, t.endMs, t.workerExitCode]), [[false, 20, null]]);
  });
});
