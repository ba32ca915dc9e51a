// The command line's summary counts the standard library's own locks and queues (a pool's
// eight locks, its SimpleQueues) apart from the learner's: a Pool program with no lock of
// its own does not print a table of the pool's locks as if they were the learner's.

import { strict as assert } from 'node:assert';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';

const POOL_ONLY = `
  import multiprocessing as mp

  def square(x):
      return x * x

  if __name__ == "__main__":
      with mp.Pool(2) as pool:
          print(pool.map(square, range(8)))
`;

const POOL_AND_OWN_LOCK = `
  import multiprocessing as mp

  def square(x):
      return x * x

  if __name__ == "__main__":
      lock = mp.Lock()
      with mp.Pool(2) as pool:
          print(pool.map(square, range(8)))
      with lock:
          print("mine")
`;

/** The summary's section that starts with `title`, up to the next blank line. */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(title);
  assert.ok(start >= 0, `the summary has a "${title}" section:\n${stdout}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe("the CLI summary counts the standard library's own locks and queues apart", function () {
  this.timeout(120_000);

  it('a Pool program with no lock of its own: none of yours, the pool\'s counted in one line', async () => {
    const result = await runCli(['run', writeProgram('pool.py', POOL_ONLY)]);
    assert.equal(result.code, 0, result.stderr);
    const locks = section(result.stdout, 'Locks');
    assert.equal(locks[0], '  none of your own', locks.join('\n'));
    assert.match(locks[1] ?? '', /^ {2}the standard library's own \(.*\): \d+ locks, \d+ acquisitions?, waited .* in all$/, locks.join('\n'));
    assert.equal(locks.length, 2, locks.join('\n'));
    const messages = section(result.stdout, 'Messages');
    assert.equal(messages[0], '  none on queues or pipes of your own', messages.join('\n'));
    assert.match(messages[1] ?? '', /^ {2}the standard library's own \(.*\): \d+ channels?, \d+ messages?$/, messages.join('\n'));
  });

  it("a program with its own lock and a Pool: a table of the learner's lock, the pool's apart", async () => {
    const result = await runCli(['run', writeProgram('mine.py', POOL_AND_OWN_LOCK)]);
    assert.equal(result.code, 0, result.stderr);
    const locks = section(result.stdout, 'Locks');
    assert.match(locks[0], /^ {2}LOCK +API/, locks.join('\n'));
    assert.equal(locks.filter((line) => / Lock +1 +0 /.test(line)).length, 1, `one row: the learner's Lock, acquired once\n${locks.join('\n')}`);
    assert.equal(locks.length, 3, `header, the learner's lock, the standard library's line\n${locks.join('\n')}`);
    assert.match(locks[2], /^ {2}the standard library's own/, locks.join('\n'));
  });
});
