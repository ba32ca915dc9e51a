// Lesson 4: shared Value and its lock: the lost update without it, the exact count with
// it, the waits it causes, coarse against fine locking, and shared_memory without copies.

import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import type { LockEvent, RunRecord } from '../../src/shared/runRecord';
import { numberAfter, runSample, withRole } from './lessonSupport';

function waitMs(event: LockEvent): number {
  return event.acquiredMs === null ? 0 : event.acquiredMs - event.requestMs;
}

/** The learner's own locks with their events, in the order they were first requested. */
function learnerLocksInOrder(record: RunRecord): Array<{ id: string; events: LockEvent[] }> {
  return record.locks
    .filter((lock) => !lock.internal)
    .map((lock) => ({ id: lock.id, events: record.lockEvents.filter((event) => event.lock === lock.id) }))
    .filter((lock) => lock.events.length > 0)
    .sort((a, b) => Math.min(...a.events.map((e) => e.requestMs)) - Math.min(...b.events.map((e) => e.requestMs)));
}

describe('lesson 4: sharing memory', function () {
  this.timeout(60_000);

  it('counter: ten acquisitions of the Value lock, one per process', async () => {
    const record = await runSample('04-sharing-memory/counter.py');
    assert.equal(record.stdout, '10\n');
    const lock = record.locks.find((info) => info.api === 'Value.get_lock');
    assert.ok(lock, `the Value's lock is recorded: ${JSON.stringify(record.locks)}`);
    // The main process takes the lock too, when it reads counter.value at the end.
    const workers = new Set(withRole(record, 'process').map((p) => p.pid));
    const acquired = record.lockEvents.filter((event) => event.lock === lock.id && event.acquiredMs !== null && workers.has(event.pid));
    assert.equal(new Set(acquired.map((event) => event.pid)).size, 10, 'each of the ten worker processes took the lock');
  });

  it("order board: a shared Array's four counts are exact, under its one lock, named as the code names it", async () => {
    const record = await runSample('04-sharing-memory/order_board.py');
    assert.equal(record.stdout, 'soup: 400\nsalad: 400\npasta: 400\ncake: 400\n');
    const locks = record.locks.filter((info) => !info.internal);
    assert.deepEqual(
      locks.map((info) => [info.api, info.name]),
      [['Array.get_lock', 'board.get_lock()']],
      'one lock for the whole Array, and no other lock of the learner',
    );
    const kitchens = new Set(withRole(record, 'process').map((p) => p.pid));
    assert.equal(kitchens.size, 4);
    const byKitchens = record.lockEvents.filter((event) => event.lock === locks[0].id && kitchens.has(event.pid) && event.acquiredMs !== null);
    const aggregated = locks[0].aggregated?.acquisitions ?? 0;
    assert.equal(new Set(byKitchens.map((event) => event.pid)).size, 4, 'each kitchen took the lock');
    assert.ok(byKitchens.length + aggregated >= 1600, `1,600 additions under the lock: ${byKitchens.length} events + ${aggregated} aggregated`);
  });

  it('lost update: the count with the lock is exact (and the one without never exceeds it)', async () => {
    const record = await runSample('04-sharing-memory/lost_update.py');
    const expected = numberAfter(record.stdout, 'expected:');
    assert.equal(numberAfter(record.stdout, 'with lock:'), expected);
    // Usually short, but a race is a race: an exact total by luck is allowed.
    assert.ok(numberAfter(record.stdout, 'without lock:') <= expected);
  });

  it('coarse against fine: waits in the timeline, and more of them with coarse locking', async function () {
    if (os.cpus().length < 2) this.skip();
    const record = await runSample('04-sharing-memory/coarse_vs_fine.py');
    assert.match(record.stdout, /coarse_worker: \d+ dishes/);
    // The coarse phase runs first, with a fresh Value: its lock is the first one used.
    const locks = learnerLocksInOrder(record);
    assert.ok(locks.length >= 2, `a lock per phase, with its events: ${JSON.stringify(record.locks)}`);
    const [coarse, fine] = locks;
    assert.ok(coarse.events.some((event) => event.acquiredMs !== null && event.acquiredMs > event.requestMs), 'waits appear in the timeline');
    const coarseWait = coarse.events.reduce((sum, event) => sum + waitMs(event), 0);
    const fineWait = fine.events.reduce((sum, event) => sum + waitMs(event), 0);
    assert.ok(coarseWait > fineWait, `coarse locking waited ${coarseWait.toFixed(1)} ms in total, fine locking ${fineWait.toFixed(1)} ms`);
  });

  it('shared frame: every band painted in place, and no message carried the frame', async () => {
    const record = await runSample('04-sharing-memory/shared_frame.py');
    assert.match(record.stdout, /\d bands painted in place, shades \[10, 11/);
    assert.ok(record.ipcEvents.every((event) => event.bytes < 100_000), 'the 6 MB frame never travelled as a message');
    assert.doesNotMatch(record.stderr, /leaked|Traceback/);
  });
});
