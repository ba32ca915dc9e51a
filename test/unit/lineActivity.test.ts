import { strict as assert } from 'node:assert';
import { describeLineActivity, lineActivity } from '../../src/shared/lineActivity';
import { emptyRecord } from '../helpers/records';

describe('lineActivity', () => {
  const site = { file: '/x/a.py', line: 7, function: 'add_one' };
  const record = emptyRecord({
    locks: [
      { id: 'V', kind: 'RLock', api: 'Value.get_lock', internal: false, site: null },
      { id: 'Q', kind: 'Lock', api: 'Lock', internal: true, site: null },
    ],
    lockEvents: [
      { lock: 'V', pid: 11, requestMs: 10, acquiredMs: 40, releasedMs: 50, site },
      { lock: 'V', pid: 12, requestMs: 12, acquiredMs: 50, releasedMs: 70, site },
      { lock: 'V', pid: 12, requestMs: 80, acquiredMs: null, releasedMs: null, site },
      { lock: 'Q', pid: 12, requestMs: 0, acquiredMs: 99, releasedMs: 100, site },
      { lock: 'V', pid: 13, requestMs: 0, acquiredMs: 1, releasedMs: 2, site: { file: '/x/other.py', line: 7 } },
    ],
    ipcEvents: [{ channel: 'C', kind: 'queue', op: 'get', pid: 10, t: 5, waitMs: 4, bytes: 2048, site: { file: '/x/a.py', line: 9 } }],
    tasks: [{ pool: 'P', pid: 14, fn: 'f', items: 3, startMs: 1, endMs: 2, ok: true, site: { file: '/x/a.py', line: 12 } }],
  });

  it('adds up waits, holds, messages and tasks per line of one file, without internal locks', () => {
    const lines = lineActivity(record, '/x/a.py');
    assert.deepEqual(lines.map((l) => l.line), [7, 9, 12]);
    const lock = lines[0];
    assert.deepEqual([lock.lockCycles, lock.lockFailures, lock.waitMs, lock.holdMs, lock.pids], [2, 1, 30 + 38 + 20, 10 + 20, [11, 12]]);
    assert.equal(describeLineActivity(lock), 'waited 88.0 ms · held 30.0 ms · 1 not acquired · 2 processes');
    assert.equal(describeLineActivity(lines[1]), '1 message (2 KiB, blocked 4.0 ms) · 1 process');
    assert.equal(describeLineActivity(lines[2]), '1 task · 3 items · 1 process');
  });

  it('shows internal locks when asked', () => {
    assert.equal(lineActivity(record, '/x/a.py', { includeInternal: true })[0].lockCycles, 3);
  });
});
