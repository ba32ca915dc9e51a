// A deliberate deadlock, ended by --timeout: the record still shows who waited for what.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';

describe('parallel-lab run on a deadlock', function () {
  this.timeout(60_000);

  it('ends at the timeout with both blocked waits in the record, with their sites', async () => {
    const file = writeProgram(
      'deadlock.py',
      `
      import time
      from multiprocessing import Barrier, Lock, Process

      def take(first, second, ready):
          with first:
              ready.wait()
              with second:  # never acquired: the other process holds it
                  pass

      if __name__ == "__main__":
          a, b, ready = Lock(), Lock(), Barrier(2)
          one = Process(target=take, args=(a, b, ready))
          two = Process(target=take, args=(b, a, ready))
          one.start(); two.start()
          one.join(); two.join()
      `,
    );
    const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-deadlock-')), 'deadlock.json');
    const result = await runCli(['run', file, '--quiet', '--timeout', '3', '--json', json]);
    assert.equal(result.code, 124);
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    const learnerLocks = new Set(record.locks.filter((lock) => !lock.internal && lock.api === 'Lock').map((lock) => lock.id));
    const blocked = record.lockEvents.filter((event) => learnerLocks.has(event.lock) && event.acquiredMs === null);
    assert.equal(blocked.length, 2, `two blocked waits: ${JSON.stringify(blocked)}`);
    assert.notEqual(blocked[0].pid, blocked[1].pid, 'one in each process');
    assert.notEqual(blocked[0].lock, blocked[1].lock, 'each for the lock the other holds');
    const innerLine = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes('with second:')) + 1;
    for (const event of blocked) assert.equal(event.site?.line, innerLine, 'the site is the learner\'s `with second:` line');
    const holds = record.lockEvents.filter((event) => learnerLocks.has(event.lock) && event.acquiredMs !== null);
    assert.ok(holds.length >= 2, 'and the locks they held are shown as holds');
  });
});
