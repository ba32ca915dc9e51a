import { strict as assert } from 'node:assert';
import { LockEventColumns } from '../../src/extension/engine/record/lockEventColumns';
import { lockStats, signalWaitStats, unionLength } from '../../src/shared/recordStats';
import type { LockEvent } from '../../src/shared/runRecord';
import { emptyRecord } from '../helpers/records';

describe('record figures', () => {
  it('measures the union of intervals, overlaps and touching ends counted once', () => {
    const union = (starts: number[], ends: number[]): number => unionLength(Float64Array.from(starts), Float64Array.from(ends));
    assert.equal(union([], []), 0);
    assert.equal(union([20, 0, 5, 1], [30, 10, 6, 2]), 20);
    assert.equal(union([1, 0], [2, 1]), 2);
    assert.equal(union([0, 0], [4, 4]), 4);
  });

  it('gives the same lock figures from the host\'s columns as from a file\'s array', () => {
    const events: Array<LockEvent & { tid: number }> = [
      { lock: 'L', pid: 1, tid: 1, requestMs: 0, acquiredMs: 10, releasedMs: 12, site: null },
      { lock: 'L', pid: 2, tid: 1, requestMs: 5, acquiredMs: 12, releasedMs: 20, site: null },
      { lock: 'L', pid: 3, tid: 1, requestMs: 30, acquiredMs: null, releasedMs: null, site: null },
    ];
    const columns = new LockEventColumns();
    for (const event of events) columns.push(event);
    const base = { durationMs: 40, locks: [{ id: 'L', kind: 'Lock', api: 'Lock', internal: false, site: null }] };
    const fromArray = lockStats(emptyRecord({ ...base, lockEvents: events }));
    assert.deepEqual(lockStats({ ...emptyRecord(base), lockEvents: columns }), fromArray);
    // Waits 0–10, 5–12 and 30–40 (the failed one waits to the end): 22 ms of 40.
    assert.deepEqual([fromArray[0].acquisitions, fromArray[0].failed, fromArray[0].contendedShare], [2, 1, 22 / 40]);
  });

  it('keeps waits for an Event, at a Barrier and for notify out of lock contention, in figures of their own', () => {
    const record = emptyRecord({
      durationMs: 1000,
      locks: [
        { id: 'E', kind: 'Event', api: 'Event', name: 'ev', internal: false, site: null },
        { id: 'E-lock', kind: 'Lock', api: 'Event', internal: true, site: null },
        { id: 'C', kind: 'Condition', api: 'Condition', name: 'cond', internal: false, site: null },
        { id: 'C/wait', kind: 'Condition', api: 'Condition.wait', name: 'cond', internal: false, site: null },
      ],
      lockEvents: [
        { lock: 'E', pid: 1, requestMs: 0, acquiredMs: 600, releasedMs: 600, site: null },
        { lock: 'E', pid: 2, requestMs: 0, acquiredMs: null, releasedMs: 100, site: null },
        { lock: 'E-lock', pid: 1, requestMs: 0, acquiredMs: 600, releasedMs: 601, site: null },
        { lock: 'C/wait', pid: 3, requestMs: 0, acquiredMs: 500, releasedMs: 500, site: null },
        { lock: 'C', pid: 3, requestMs: 500, acquiredMs: 502, releasedMs: 510, site: null },
      ],
    });
    const locks = lockStats(record);
    assert.deepEqual(locks.map((stats) => stats.lock.id), ['C'], "only the Condition's lock is a lock");
    assert.deepEqual([locks[0].totalWaitMs, locks[0].contendedShare], [2, 2 / 1000]);
    assert.deepEqual(
      signalWaitStats(record).map((stats) => [stats.lock.id, stats.signal, stats.waits, stats.unanswered, stats.totalWaitMs, stats.maxWaitMs]),
      [['E', 'event', 2, 1, 700, 600], ['C/wait', 'notify', 1, 0, 500, 500]],
    );
  });
});
