import { strict as assert } from 'node:assert';
import { channelLabels, isHeldLock, lockLabels, signalOf } from '../../src/shared/learnerNames';
import type { ChannelInfo, LockInfo } from '../../src/shared/runRecord';

const at = (line: number): { file: string; line: number } => ({ file: '/x/a.py', line });

describe('learner names', () => {
  it("labels locks by the learner's name, else by what they are and where they were made", () => {
    const locks: LockInfo[] = [
      { id: 'lock-1-0', kind: 'RLock', api: 'Value.get_lock', name: 'counter.get_lock()', internal: false, site: at(3) },
      { id: 'lock-1-1', kind: 'Lock', api: 'Lock', internal: false, site: at(12) },
      { id: 'lock-1-2', kind: 'RLock', api: 'Array.get_lock', internal: false, site: at(13) },
      { id: 'lock-1-3', kind: 'Lock', api: 'Queue', internal: true, site: at(14) },
      { id: 'lock-1-4', kind: 'Semaphore', api: 'Semaphore', internal: false, site: null },
      { id: 'lock-1-5', kind: 'Condition', api: 'Condition', name: 'cond', internal: false, site: at(15) },
      { id: 'lock-1-5/wait', kind: 'Condition', api: 'Condition.wait', internal: false, site: at(15) },
    ];
    assert.deepEqual([...lockLabels(locks).values()], [
      'counter.get_lock()',
      'Lock made at line 12',
      'lock of the Array made at line 13',
      'Lock inside a Queue made at line 14',
      'Semaphore (where it was made is not known)',
      'cond',
      'cond',
    ]);
  });

  it('tells apart locks of the same name in the order the record lists them', () => {
    const lock = (id: string): LockInfo => ({ id, kind: 'Lock', api: 'Lock', name: 'lock', internal: false, site: at(5) });
    assert.deepEqual([...lockLabels([lock('a'), lock('b')]).values()], ['lock #1', 'lock #2']);
  });

  it('labels channels by name, else by what they are and where they were made', () => {
    const channels: ChannelInfo[] = [
      { id: '1:0', kind: 'queue', api: 'Queue', name: 'results', internal: false, site: at(4) },
      { id: '1:1', kind: 'pipe', api: 'Pipe', name: 'parent_end ↔ child_end', internal: false, site: at(5) },
      { id: '1:2', kind: 'queue', api: 'SimpleQueue', internal: false, site: at(6) },
    ];
    assert.deepEqual([...channelLabels(channels).values()], ['results', 'parent_end ↔ child_end', 'SimpleQueue made at line 6']);
  });

  it('knows a wait for a signal from a lock', () => {
    const lock = (kind: string, api: string, internal = false): LockInfo => ({ id: kind, kind, api, internal, site: null });
    assert.deepEqual(
      [lock('Event', 'Event'), lock('Barrier', 'Barrier'), lock('Condition', 'Condition.wait'), lock('Condition', 'Condition'), lock('Lock', 'Lock')].map(signalOf),
      ['event', 'barrier', 'notify', null, null],
    );
    assert.equal(isHeldLock(lock('Lock', 'Event', true)), false, "the lock inside an Event is the Event's workings");
    assert.equal(isHeldLock(lock('Condition', 'Condition')), true);
  });
});
