import { strict as assert } from 'node:assert';
import { ActivityBuilder } from '../../src/extension/engine/record/activityBuilder';

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
});
