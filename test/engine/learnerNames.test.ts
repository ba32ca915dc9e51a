// Locks and channels called as the learner's code names them, and waits for an Event, at a
// Barrier or for a Condition's notify shown as waits for a signal, not lock contention:
// real Python through the command line, checked in its summary and in the record it writes.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeLineActivity, lineActivity } from '../../src/shared/lineActivity';
import { lockStats, signalWaitStats } from '../../src/shared/recordStats';
import type { RunRecord, StartMethod } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { itWithPython } from '../helpers/pythonVersions';
import { writeProgram } from '../helpers/pythonPrograms';

const NAMES = `
  from multiprocessing import Lock, Pipe, Process, Queue, Value

  class Account:
      def __init__(self):
          self.lock = Lock()

  def make_lock():
      return Lock()  # no name here

  def work(counter, lock, results, child_end, account, spare, pair):
      with counter.get_lock():
          counter.value += 1
      for each in (lock, account.lock, spare, pair):
          with each:
              pass
      results.put("done")
      child_end.send(b"hello")

  if __name__ == "__main__":
      counter = Value("i", 0)
      lock = Lock()
      results = Queue()
      parent_end, child_end = Pipe()
      account = Account()
      spare = make_lock()
      pair, orders = Lock(), Queue()
      p = Process(target=work, args=(counter, lock, results, child_end, account, spare, pair))
      p.start()
      print(results.get(), parent_end.recv())
      p.join()
`;

const SIGNALS = `
  import multiprocessing as mp
  import time

  def waiter(cond, ready):
      with cond:
          while not ready.value:
              cond.wait()  # notify wait

  def event_waiter(ev):
      ev.wait()  # event wait

  def party(barrier):
      barrier.wait()  # barrier wait

  if __name__ == "__main__":
      cond = mp.Condition()
      ready = mp.Value("i", 0, lock=False)
      ev = mp.Event()
      barrier = mp.Barrier(3)
      workers = [mp.Process(target=waiter, args=(cond, ready))]
      workers += [mp.Process(target=event_waiter, args=(ev,)) for _ in range(3)]
      workers += [mp.Process(target=party, args=(barrier,)) for _ in range(2)]
      for w in workers:
          w.start()
      time.sleep(0.3)
      with cond:
          ready.value = 1
          cond.notify_all()
      ev.set()
      barrier.wait()
      for w in workers:
          w.join()
      print("done")
`;

function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" in ${file}`);
  return index + 1;
}

async function profile(file: string, startMethod: StartMethod, python?: string): Promise<{ summary: string; record: RunRecord }> {
  const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-names-')), 'run.json');
  const result = await runCli(['run', file, '--start-method', startMethod, '--json', json, ...(python ? ['--python', python] : [])]);
  assert.equal(result.code, 0, result.stderr);
  return { summary: result.stdout, record: JSON.parse(readFileSync(json, 'utf8')) as RunRecord };
}

/** The rows of one section of the summary (its title line up to the next blank line). */
function section(summary: string, title: string): string[] {
  const lines = summary.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  assert.ok(start >= 0, `a "${title}" section in:\n${summary}`);
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start + 2, end < 0 ? undefined : end);
}

describe('names from the learner\'s code, and waits for a signal', function () {
  this.timeout(120_000);

  for (const method of ['fork', 'spawn'] as const) {
    it(`names locks and channels as the code does, in the record and the summary (${method})`, async () => {
      const file = writeProgram('names.py', NAMES);
      const { summary, record } = await profile(file, method);
      assert.equal(record.stdout, "done b'hello'\n");
      const learnerLocks = record.locks.filter((lock) => !lock.internal);
      const byName = new Map(learnerLocks.map((lock) => [lock.name, lock]));
      assert.deepEqual(
        [...byName.keys()].sort(),
        ['counter.get_lock()', 'lock', 'pair', 'self.lock', undefined].sort(),
        `the locks' names: ${JSON.stringify(learnerLocks)}`,
      );
      assert.equal(byName.get('counter.get_lock()')?.api, 'Value.get_lock');
      const unnamed = byName.get(undefined);
      assert.equal(unnamed?.site?.line, lineOf(file, 'return Lock()  # no name here'), 'the unnamed lock knows where it was made');
      const channels = new Map(record.channels.filter((channel) => !channel.internal).map((channel) => [channel.name, channel]));
      assert.equal(channels.get('results')?.api, 'Queue');
      assert.equal(channels.get('parent_end ↔ child_end')?.api, 'Pipe');

      const locks = section(summary, 'Locks').map((row) => row.trim().split(/\s{2,}/)[0]);
      for (const name of ['counter.get_lock()', 'lock', 'self.lock', 'pair', `Lock made at line ${lineOf(file, 'return Lock()')}`]) {
        assert.ok(locks.includes(name), `the summary's lock table lists ${name}: ${locks.join(' | ')}`);
      }
      const messages = section(summary, 'Messages').map((row) => row.trim().split(/\s{2,}/)[0]);
      assert.ok(messages.includes('results'), `the queue by its name: ${messages.join(' | ')}`);
      assert.ok(messages.includes('parent_end ↔ child_end'), `the pipe by its ends: ${messages.join(' | ')}`);
      for (const thing of [...record.locks, ...record.channels]) {
        assert.ok(!summary.includes(thing.id), `no id such as ${thing.id} in the summary`);
      }
    });
  }

  for (const version of ['3.8', '3.13']) {
    itWithPython(version, `reads the same names on Python ${version} (its own ast positions)`, async (python) => {
      const file = writeProgram('names.py', NAMES);
      const { record } = await profile(file, 'spawn', python);
      const names = record.locks.filter((lock) => !lock.internal).map((lock) => lock.name ?? '-').sort();
      assert.deepEqual(names, ['-', 'counter.get_lock()', 'lock', 'pair', 'self.lock']);
      assert.deepEqual(record.channels.filter((channel) => !channel.internal).map((channel) => channel.name).sort(), ['parent_end ↔ child_end', 'results']);
    });
  }

  itWithPython('3.12', 'reads names without a second warning about the file (Python 3.12 warns at parse time)', async (python) => {
    const file = writeProgram(
      'escapes.py',
      `
      from multiprocessing import Lock
      pattern = "\\d+"  # an invalid escape: Python 3.12 warns once, as it compiles this file
      lock = Lock()
      with lock:
          pass
      `,
    );
    const plain = spawnSync(python, [file], { encoding: 'utf8' });
    assert.match(plain.stderr, /SyntaxWarning/, 'the untraced run warns');
    const { record } = await profile(file, 'fork', python);
    assert.equal(record.stderr, plain.stderr, 'the same warning, once');
    assert.equal(record.locks.find((lock) => !lock.internal)?.name, 'lock');
  });

  it('shows Event, Barrier and Condition waits as waits for a signal, not as lock contention', async () => {
    const file = writeProgram('signals.py', SIGNALS);
    const { summary, record } = await profile(file, 'fork');
    assert.equal(record.stdout, 'done\n');

    const signals = signalWaitStats(record);
    const waits = new Map(signals.map((stats) => [stats.lock.name, stats]));
    assert.equal(waits.get('ev')?.signal, 'event');
    assert.equal(waits.get('ev')?.waits, 3);
    assert.equal(waits.get('barrier')?.signal, 'barrier');
    assert.equal(waits.get('cond')?.signal, 'notify');
    for (const name of ['ev', 'barrier', 'cond']) assert.ok((waits.get(name)?.maxWaitMs ?? 0) >= 150, `${name}: waited for the signal`);

    // Lock contention: the Condition's lock is a lock, and was hardly contended; no Event or
    // Barrier, nor the lock inside an Event, is among the locks.
    const locks = lockStats(record);
    assert.ok(locks.every((stats) => !['Event', 'Barrier'].includes(stats.lock.kind) && stats.lock.api !== 'Event'), JSON.stringify(locks.map((s) => s.lock)));
    const condLock = locks.find((stats) => stats.lock.name === 'cond');
    assert.ok(condLock, 'the Condition\'s lock is a lock');
    assert.ok(condLock.maxWaitMs < 150, `the lock is not waited for during the wait for notify: ${condLock.maxWaitMs} ms`);
    assert.ok(locks.every((stats) => stats.contendedShare < 0.25), `no lock contended for the waits: ${locks.map((s) => `${s.lock.name ?? s.lock.id} ${s.contendedShare}`).join(', ')}`);

    const figures = new Map(lineActivity(record, record.file).map((activity) => [activity.line, activity]));
    const eventLine = figures.get(lineOf(file, '# event wait'));
    assert.ok(eventLine, 'the event wait line has figures');
    assert.equal(eventLine.lockCycles + eventLine.lockFailures, 0, 'no lock cycles on the event wait line');
    assert.match(describeLineActivity(eventLine), /^3× waited for the event [\d.]+ m?s · 3 processes$/);
    assert.match(describeLineActivity(figures.get(lineOf(file, '# barrier wait'))!), /^2× waited at the barrier [\d.]+ m?s · 2 processes$/);
    const notifyLine = figures.get(lineOf(file, '# notify wait'))!;
    assert.deepEqual(notifyLine.signalWaits.map((each) => [each.signal, each.names]), [['notify', ['cond']]]);
    assert.match(describeLineActivity(notifyLine), /waited for notify [\d.]+ m?s/);

    const table = section(summary, 'Waits for a signal').map((row) => row.trim().split(/\s{2,}/));
    assert.deepEqual(table.map((row) => [row[0], row[2]]).sort(), [['barrier', 'waited at the barrier'], ['cond', 'waited for notify'], ['ev', 'waited for the event']]);
    const lockRows = section(summary, 'Locks').map((row) => row.trim().split(/\s{2,}/)[0]);
    assert.ok(!lockRows.includes('ev') && !lockRows.includes('barrier'), `the Event and the Barrier are not locks: ${lockRows.join(' | ')}`);
  });
});
