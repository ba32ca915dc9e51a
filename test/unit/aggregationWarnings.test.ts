// The warning for what the tracer counted in aggregate: called as the program names it, and
// an Event or a Barrier is not called a lock.

import { strict as assert } from 'node:assert';
import type { LockInfo } from '../../src/shared/runRecord';
import { aggregationWarnings } from '../../src/extension/engine/run/aggregationWarnings';

describe('aggregationWarnings', () => {
  const locks: LockInfo[] = [
    { id: 'E', kind: 'Event', api: 'Event', name: 'ready', internal: false, site: null },
    { id: 'B', kind: 'Barrier', api: 'Barrier', name: 'gate', internal: false, site: null },
    { id: 'V', kind: 'RLock', api: 'Value.get_lock', name: 'counter.get_lock()', internal: false, site: null },
  ];

  it('names each as the program does', () => {
    assert.deepEqual(aggregationWarnings(locks, locks).map((warning) => warning.split(' so often')[0]), [
      'The waits for the event ready came',
      'The waits at the barrier gate came',
      'The lock counter.get_lock() was used',
    ]);
  });

  it('says nothing when nothing was counted in aggregate', () => {
    assert.deepEqual(aggregationWarnings(locks, []), []);
  });
});
