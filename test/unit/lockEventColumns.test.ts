import { strict as assert } from 'node:assert';
import { LockEventColumns, type TracedLockEvent } from '../../src/extension/engine/record/lockEventColumns';
import type { SourceSite } from '../../src/shared/runRecord';

const SITE: SourceSite = { file: '/x/a.py', line: 7, function: 'work' };

/** An event in the field order the record file has always had. */
function event(i: number, overrides: Partial<TracedLockEvent> = {}): TracedLockEvent {
  return { lock: `L${i % 3}`, pid: 1000 + (i % 7), tid: 2 ** 40 + i, requestMs: i * 0.1, acquiredMs: i * 0.1 + 0.02, releasedMs: i * 0.1 + 0.05, site: i % 2 ? SITE : null, ...overrides };
}

describe('LockEventColumns', () => {
  it('gives back each event as it was pushed, in the file\'s field order, across chunks', () => {
    const columns = new LockEventColumns();
    const pushed = Array.from({ length: 40_000 }, (_, i) => event(i));
    pushed[5] = event(5, { acquiredMs: null, releasedMs: null });
    pushed[17_000] = event(17_000, { releasedMs: null, releasedBy: 4242 });
    pushed.forEach((e, i) => assert.equal(columns.push(e), i));
    assert.equal(columns.length, 40_000);
    for (const i of [0, 5, 16_383, 16_384, 17_000, 39_999]) assert.equal(JSON.stringify(columns.get(i)), JSON.stringify(pushed[i]), `event ${i}`);
    assert.equal(columns.get(1).site, SITE, 'events share the site object, as they did as objects');
    assert.equal(JSON.stringify(columns), JSON.stringify(pushed), 'JSON.stringify writes the file format');
    assert.equal([...columns].length, 40_000);
  });

  it('replaces a row whole, and closes a cycle naming the releasing process only when it is another', () => {
    const columns = new LockEventColumns();
    columns.push(event(0, { acquiredMs: null, releasedMs: null, releasedBy: 9 }));
    columns.set(0, event(1));
    assert.deepEqual(columns.get(0), event(1));
    columns.push(event(2, { releasedMs: null }));
    columns.push(event(3, { releasedMs: null }));
    columns.release(1, 50, event(2).pid);
    columns.release(2, 60, 77);
    assert.deepEqual([columns.get(1).releasedMs, columns.get(1).releasedBy], [50, undefined]);
    assert.deepEqual([columns.get(2).releasedMs, columns.get(2).releasedBy], [60, 77]);
    assert.deepEqual([columns.lockOf(2), columns.acquiredMsOf(2), columns.releasedMsOf(2)], ['L0', event(3).acquiredMs, 60]);
  });

  it('reads nothing past its end', () => {
    const columns = new LockEventColumns();
    columns.push(event(0));
    assert.throws(() => columns.get(1), RangeError);
    assert.throws(() => columns.get(-1), RangeError);
  });
});
