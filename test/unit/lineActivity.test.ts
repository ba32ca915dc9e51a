import { strict as assert } from 'node:assert';
import { describeLineActivity, lineActivity, type LineActivity } from '../../src/shared/lineActivity';
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

  it("names the locks and channels used at a line as the learner's code does", () => {
    const named = emptyRecord({
      ...record,
      locks: [{ ...record.locks[0], name: 'counter.get_lock()' }, record.locks[1]],
      channels: [{ id: 'C', kind: 'queue', api: 'Queue', name: 'results', internal: false, site: null }],
    });
    const lines = lineActivity(named, '/x/a.py');
    assert.deepEqual(lines[0].lockNames, ['counter.get_lock()']);
    assert.deepEqual(lines[1].channelNames, ['results']);
  });

  describe('waits for a signal', () => {
    const at = (line: number): { file: string; line: number } => ({ file: '/x/a.py', line });
    const signals = emptyRecord({
      durationMs: 1000,
      locks: [
        { id: 'E', kind: 'Event', api: 'Event', name: 'ev', internal: false, site: at(20) },
        { id: 'E-lock', kind: 'Lock', api: 'Event', internal: true, site: at(20) },
        { id: 'B', kind: 'Barrier', api: 'Barrier', name: 'barrier', internal: false, site: at(21) },
        { id: 'C', kind: 'Condition', api: 'Condition', name: 'cond', internal: false, site: at(22) },
        { id: 'C/wait', kind: 'Condition', api: 'Condition.wait', name: 'cond', internal: false, site: at(22) },
      ],
      lockEvents: [
        // Three waits for the event at line 5, one of them timed out; the Event's own lock there too.
        { lock: 'E', pid: 11, requestMs: 0, acquiredMs: 271, releasedMs: 271, site: at(5) },
        { lock: 'E', pid: 12, requestMs: 0, acquiredMs: 100, releasedMs: 100, site: at(5) },
        { lock: 'E', pid: 13, requestMs: 0, acquiredMs: null, releasedMs: 50, site: at(5) },
        { lock: 'E-lock', pid: 11, requestMs: 0, acquiredMs: 271, releasedMs: 272, site: at(5) },
        { lock: 'B', pid: 11, requestMs: 10, acquiredMs: 50, releasedMs: 50, site: at(6) },
        // At line 7, the wait for notify, then the re-acquire of the Condition's lock.
        { lock: 'C/wait', pid: 14, requestMs: 0, acquiredMs: 300, releasedMs: 300, site: at(7) },
        { lock: 'C', pid: 14, requestMs: 300, acquiredMs: 301, releasedMs: 305, site: at(7) },
      ],
    });
    const lines = lineActivity(signals, '/x/a.py');
    const line = (n: number): LineActivity => lines.find((each) => each.line === n)!;

    it('counts them apart from lock waits and holds, and says what was waited for', () => {
      assert.deepEqual([line(5).lockCycles, line(5).lockFailures, line(5).waitMs, line(5).holdMs], [0, 0, 0, 0], 'no lock at the event wait');
      assert.deepEqual(line(5).signalWaits, [{ signal: 'event', waits: 3, names: ['ev'], unanswered: 1, waitMs: 271 + 100 + 50 }]);
      assert.equal(describeLineActivity(line(5)), '3× waited for the event 421 ms (1 not set) · 3 processes');
      assert.equal(describeLineActivity(line(6)), 'waited at the barrier 40.0 ms · 1 process');
    });

    it("keeps a Condition's lock a lock and its wait for notify a wait", () => {
      assert.deepEqual([line(7).lockCycles, line(7).waitMs, line(7).holdMs, line(7).lockNames], [1, 1, 4, ['cond']]);
      assert.equal(describeLineActivity(line(7)), 'waited 1.0 ms · held 4.0 ms · waited for notify 300 ms · 1 process');
    });

    it("leaves the Event's own lock out, even with the standard library's locks shown", () => {
      const all = lineActivity(signals, '/x/a.py', { includeInternal: true });
      assert.equal(all.find((each) => each.line === 5)?.lockCycles, 0);
    });
  });
});
