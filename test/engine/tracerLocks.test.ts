// The lock tracer (runtimes/python/parallel_lab_tracer/locks) against the real event server:
// real interpreters run small lock programs under fork, spawn and forkserver, and the wire
// records they send (site, lock-new, lock-batch, lock-release, lock-open, lock-stats) are
// checked directly.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type LockNewRecord,
  type LockOpenRecord,
  type LockStatsRecord,
  type SiteRecord,
  type TracerRecord,
} from '../../src/extension/engine/tracer/tracerProtocol';
import { START_METHODS } from '../../src/shared/runRecord';
import { runTraced } from '../helpers/tracedPython';

const REPO = path.resolve(__dirname, '../../..');
const COUNTER_SAMPLE = path.join(REPO, 'samples/04-sharing-memory/counter.py');

const PROGRAMS: Record<string, string> = {
  // More processes than cores, busy between short holds of one lock: the scheduler
  // preempts them at any point, right after a release included.
  'crowded_lock.py': `
import multiprocessing as mp

def work(lock):
    for _ in range(400):
        sum(range(2000))
        with lock:
            pass

if __name__ == "__main__":
    lock = mp.Lock()
    workers = [mp.Process(target=work, args=(lock,)) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print("done")
`,
  // Two processes take two locks in opposite order; the barrier makes sure both hold their
  // first lock before either asks for its second.
  'deadlock.py': `
import multiprocessing as mp

def left(a, b, barrier):
    with a:
        barrier.wait()
        with b:
            pass

def right(a, b, barrier):
    with b:
        barrier.wait()
        with a:
            pass

if __name__ == "__main__":
    a, b = mp.Lock(), mp.Lock()
    barrier = mp.Barrier(2)
    workers = [mp.Process(target=left, args=(a, b, barrier)), mp.Process(target=right, args=(a, b, barrier))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
`,
  'single_process.py': `
import multiprocessing as mp

if __name__ == "__main__":
    r = mp.RLock()
    with r:  # line 6: the one RLock cycle
        with r:
            r.acquire()
            r.release()
    lock = mp.Lock()
    lock.acquire()
    print(lock.acquire(False), lock.acquire(True, 0.1), lock.acquire(timeout=0.02))  # line 12
    lock.release()
    q = mp.Queue()
    q.put("x")
    print(q.get())
`,
  'semaphore.py': `
import multiprocessing as mp
import time

def work(sem, ready):
    ready.wait()  # all three ask at once, however slowly spawn starts them
    with sem:  # line 7
        time.sleep(0.3)

if __name__ == "__main__":
    sem = mp.Semaphore(2)
    ready = mp.Barrier(3)
    workers = [mp.Process(target=work, args=(sem, ready)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
`,
  'cross_release.py': `
import multiprocessing as mp

def releaser(lock):
    lock.release()  # line 5

if __name__ == "__main__":
    lock = mp.Lock()
    lock.acquire()  # line 9
    child = mp.Process(target=releaser, args=(lock,))
    child.start()
    child.join()
    print("released")
`,
  'compound.py': `
import multiprocessing as mp
import time

def waiter(cond, started, ready):
    with cond:
        started.set()
        while not ready.value:
            cond.wait()  # line 9

def event_waiter(event):
    event.wait()  # line 12

def barrier_party(barrier):
    barrier.wait()  # line 15

if __name__ == "__main__":
    cond = mp.Condition()
    started = mp.Event()
    ready = mp.Value("i", 0, lock=False)
    event = mp.Event()
    barrier = mp.Barrier(2)
    workers = [
        mp.Process(target=waiter, args=(cond, started, ready)),
        mp.Process(target=event_waiter, args=(event,)),
        mp.Process(target=barrier_party, args=(barrier,)),
    ]
    for w in workers:
        w.start()
    started.wait()
    time.sleep(0.2)
    with cond:
        ready.value = 1
        cond.notify_all()
    time.sleep(0.2)
    event.set()
    barrier.wait()
    print(event.wait(0.01))
    for w in workers:
        w.join()
`,
  'hot.py': `
import multiprocessing as mp

if __name__ == "__main__":
    lock = mp.Lock()
    for _ in range(200000):
        with lock:
            pass
    print("done")
`,
};

let programDir: string;

before(async () => {
  programDir = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-locks-test-'));
  for (const [name, text] of Object.entries(PROGRAMS)) await writeFile(path.join(programDir, name), text);
});

after(async () => {
  await rm(programDir, { recursive: true, force: true });
});

function programPath(name: string): string {
  return path.join(programDir, name);
}

/**
 * Times are whole microseconds: two holds inside the same microsecond tie on their start,
 * and the one that also ends there came first.
 */
function byStartThenEnd(x: number[], y: number[]): number {
  return x[0] - y[0] || x[1] - y[1];
}

/** A lock cycle with its pid, and its site resolved to a file line. */
interface Cycle {
  pid: number;
  tid: number;
  lock: string;
  requestMs: number;
  acquiredMs: number | null;
  releasedMs: number | null;
  site: SiteRecord | null;
}

class LockRecords {
  readonly sites = new Map<string, SiteRecord>();
  readonly news: LockNewRecord[] = [];
  readonly cycles: Cycle[] = [];
  readonly releases: Array<{ pid: number; tid: number; lock: string; releasedMs: number; site: SiteRecord | null }> = [];
  readonly opens: LockOpenRecord[] = [];
  readonly stats: LockStatsRecord[] = [];

  constructor(records: TracerRecord[]) {
    for (const record of records) {
      if (record.type === 'site') {
        const key = `${record.pid}:${record.id}`;
        assert.ok(!this.sites.has(key), `site ${key} defined twice`);
        this.sites.set(key, record);
      } else if (record.type === 'lock-new') this.news.push(record);
      else if (record.type === 'lock-open') this.opens.push(record);
      else if (record.type === 'lock-stats') this.stats.push(record);
      else if (record.type === 'lock-batch') {
        for (const [tid, lock, requestMs, acquiredMs, releasedMs, site] of record.events) {
          this.cycles.push({ pid: record.pid, tid, lock, requestMs, acquiredMs, releasedMs, site: this.site(record.pid, site) });
        }
      } else if (record.type === 'lock-release') {
        for (const [tid, lock, releasedMs, site] of record.events) {
          this.releases.push({ pid: record.pid, tid, lock, releasedMs, site: this.site(record.pid, site) });
        }
      }
    }
    // Every event names a lock its process announced first, once.
    const announced = new Set<string>();
    for (const news of this.news) {
      const key = `${news.pid}:${news.lock}`;
      assert.ok(!announced.has(key), `lock-new sent twice for ${key}`);
      announced.add(key);
    }
    for (const event of [...this.cycles, ...this.releases, ...this.opens]) {
      assert.ok(announced.has(`${event.pid}:${event.lock}`), `lock ${event.lock} used by ${event.pid} without lock-new`);
    }
  }

  site(pid: number, id: number | null): SiteRecord | null {
    if (id === null) return null;
    const site = this.sites.get(`${pid}:${id}`);
    assert.ok(site, `site ${id} of pid ${pid} is defined before use`);
    return site;
  }

  lockWith(predicate: (news: LockNewRecord) => boolean): LockNewRecord {
    const ids = new Set(this.news.filter(predicate).map((news) => news.lock));
    assert.equal(ids.size, 1, `one lock matches, found ${[...ids].join(', ')}`);
    return this.news.find(predicate) as LockNewRecord;
  }

  cyclesOf(lock: string): Cycle[] {
    return this.cycles.filter((cycle) => cycle.lock === lock);
  }
}

function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `${text} is in ${file}`);
  return index + 1;
}

function assertAtLine(site: SiteRecord | null, file: string, line: number): void {
  assert.ok(site, 'the event has a site');
  assert.equal(site.file, file);
  assert.equal(site.line, line);
}

function childPids(records: TracerRecord[]): Set<number> {
  const pids = new Set<number>();
  for (const record of records) if (record.type === 'process-role' && record.role === 'process') pids.add(record.pid);
  return pids;
}

describe('Lock tracer', function () {
  this.timeout(60000);
  this.slow(5000);

  for (const method of START_METHODS) {
    it(`records the counter's 10 cycles on the Value's lock under ${method}`, async () => {
      const result = await runTraced(COUNTER_SAMPLE, { startMethod: method });
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, '10\n');
      const locks = new LockRecords(result.records);
      const valueLock = locks.lockWith((news) => news.api === 'Value.get_lock');
      assert.equal(valueLock.kind, 'RLock');
      assert.equal(valueLock.internal, false);
      for (const news of locks.news.filter((n) => n.lock === valueLock.lock)) {
        assert.deepEqual([news.kind, news.api, news.internal], ['RLock', 'Value.get_lock', false], `as pid ${news.pid} sees it`);
      }
      const children = childPids(result.records);
      assert.equal(children.size, 10);
      const withLine = lineOf(COUNTER_SAMPLE, 'with counter.get_lock():');
      const cycles = locks.cyclesOf(valueLock.lock).filter((cycle) => children.has(cycle.pid));
      assert.equal(cycles.length, 10, 'one cycle per child, the nested value accesses folded');
      assert.deepEqual(new Set(cycles.map((c) => c.pid)), children);
      for (const cycle of cycles) {
        assert.ok(cycle.acquiredMs !== null && cycle.releasedMs !== null, 'complete');
        assert.ok(cycle.requestMs <= cycle.acquiredMs && cycle.acquiredMs <= cycle.releasedMs, JSON.stringify(cycle));
        assertAtLine(cycle.site, COUNTER_SAMPLE, withLine);
      }
      const holds = cycles.map((c) => [c.acquiredMs as number, c.releasedMs as number]).sort(byStartThenEnd);
      for (let i = 1; i < holds.length; i++) assert.ok(holds[i][0] >= holds[i - 1][1], `holds ${i - 1} and ${i} overlap`);
      // The main's own cycle (print(counter.value)) is the same lock too.
      assert.ok(locks.cyclesOf(valueLock.lock).some((cycle) => cycle.pid === result.pid));
      assert.equal(locks.releases.length, 0);
    });
  }

  it('never records two holds of one lock at the same time, whatever the scheduler does', async () => {
    const result = await runTraced(programPath('crowded_lock.py'), { startMethod: 'fork' });
    assert.equal(result.stdout, 'done\n');
    const locks = new LockRecords(result.records);
    const lock = locks.lockWith((news) => news.api === 'Lock' && !news.internal);
    const holds = locks
      .cyclesOf(lock.lock)
      .map((cycle) => [cycle.acquiredMs as number, cycle.releasedMs as number])
      .sort(byStartThenEnd);
    assert.equal(holds.length, 6 * 400, 'every cycle recorded one by one');
    const overlapping = holds.filter((hold, i) => i > 0 && hold[0] < holds[i - 1][1]);
    assert.deepEqual(overlapping, [], 'a hold starts before the one before it ended');
  });

  for (const method of START_METHODS) {
    it(`shows both blocked waits of a deadlock while it lasts under ${method}`, async () => {
      const file = programPath('deadlock.py');
      const result = await runTraced(file, { startMethod: method, killAfterMs: 1500 + (method === 'fork' ? 0 : 1000) });
      assert.equal(result.exitCode, null, 'killed by the test');
      const locks = new LockRecords(result.records);
      const userLocks = locks.news.filter((news) => news.api === 'Lock' && !news.internal);
      assert.equal(new Set(userLocks.map((n) => n.lock)).size, 2);
      const blocked = locks.opens.filter((open) => open.acquiredMs === null && userLocks.some((n) => n.lock === open.lock));
      assert.equal(blocked.length, 2, JSON.stringify(locks.opens));
      assert.notEqual(blocked[0].pid, blocked[1].pid);
      assert.notEqual(blocked[0].lock, blocked[1].lock);
      for (const open of blocked) {
        const site = locks.site(open.pid, open.site);
        assert.ok(site && site.file === file && /^\s+with [ab]:$/.test(readFileSync(file, 'utf8').split('\n')[site.line - 1]));
        assert.equal(open.held.length, 1, 'each holds its first lock');
        const [heldLock, acquiredMs] = open.held[0];
        assert.equal(heldLock, blocked.find((other) => other !== open)?.lock, 'holds what the other waits for');
        assert.ok(acquiredMs <= open.requestMs);
      }
      const barrier = locks.lockWith((news) => news.kind === 'Barrier');
      assert.equal(barrier.internal, false);
      assert.equal(locks.cyclesOf(barrier.lock).filter((c) => c.acquiredMs !== null).length, 2, 'both passed the barrier');
    });
  }

  it('folds RLock re-entry, records failed and timed-out acquires, marks a Queue lock internal', async () => {
    const file = programPath('single_process.py');
    const result = await runTraced(file, { startMethod: 'fork' });
    assert.equal(result.stdout, 'False False False\nx\n');
    const locks = new LockRecords(result.records);
    const rlock = locks.lockWith((news) => news.api === 'RLock');
    const rcycles = locks.cyclesOf(rlock.lock);
    assert.equal(rcycles.length, 1);
    assertAtLine(rcycles[0].site, file, 6);
    const lock = locks.lockWith((news) => news.api === 'Lock');
    const failed = locks.cyclesOf(lock.lock).filter((c) => c.acquiredMs === null);
    assert.equal(failed.length, 3);
    for (const cycle of failed) {
      assert.equal(cycle.releasedMs, null);
      assertAtLine(cycle.site, file, 12);
    }
    const timedOut = failed.map((c) => c.requestMs).sort((x, y) => x - y);
    assert.ok(timedOut[2] - timedOut[1] >= 90, 'the 0.1 s timeout was waited');
    const complete = locks.cyclesOf(lock.lock).filter((c) => c.acquiredMs !== null);
    assert.equal(complete.length, 1);
    assert.ok((complete[0].releasedMs as number) - (complete[0].acquiredMs as number) >= 110);
    const queueLocks = locks.news.filter((news) => news.api === 'Queue');
    assert.ok(queueLocks.length >= 1, 'the Queue used its locks');
    assert.ok(queueLocks.every((news) => news.internal));
  });

  it('records a Semaphore(2) shared by 3 processes, the third waiting live', async () => {
    const file = programPath('semaphore.py');
    const result = await runTraced(file, { startMethod: 'spawn' });
    const locks = new LockRecords(result.records);
    const sem = locks.lockWith((news) => news.api === 'Semaphore');
    assert.equal(sem.kind, 'Semaphore');
    const cycles = locks.cyclesOf(sem.lock);
    assert.equal(cycles.length, 3);
    const waits = cycles.map((c) => (c.acquiredMs as number) - c.requestMs).sort((x, y) => x - y);
    assert.ok(waits[2] >= 200, `the third waited for a slot: ${waits}`);
    assert.ok(waits[1] < 100);
    const opens = locks.opens.filter((open) => open.lock === sem.lock);
    assert.equal(opens.length, 1);
    const waiting = cycles.find((c) => c.pid === opens[0].pid && c.requestMs === opens[0].requestMs);
    assert.ok(waiting, 'the complete cycle matches the live wait');
    for (const cycle of cycles) assertAtLine(cycle.site, file, 7);
  });

  for (const method of ['fork', 'spawn'] as const) {
    it(`pairs a release by another process under ${method}`, async () => {
      const file = programPath('cross_release.py');
      const result = await runTraced(file, { startMethod: method });
      assert.equal(result.stdout, 'released\n');
      const locks = new LockRecords(result.records);
      const lock = locks.lockWith((news) => news.api === 'Lock');
      const cycles = locks.cyclesOf(lock.lock);
      assert.equal(cycles.length, 1);
      assert.equal(cycles[0].pid, result.pid);
      assert.notEqual(cycles[0].acquiredMs, null);
      assert.equal(cycles[0].releasedMs, null);
      assertAtLine(cycles[0].site, file, 9);
      assert.equal(locks.releases.length, 1);
      assert.equal(locks.releases[0].lock, lock.lock);
      assert.notEqual(locks.releases[0].pid, result.pid);
      assertAtLine(locks.releases[0].site, file, 5);
      assert.ok(locks.releases[0].releasedMs >= (cycles[0].acquiredMs as number));
    });
  }

  for (const method of ['fork', 'spawn'] as const) {
    it(`records Condition, Event and Barrier waits with their kinds under ${method}`, async () => {
      const file = programPath('compound.py');
      const result = await runTraced(file, { startMethod: method });
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'True\n');
      const locks = new LockRecords(result.records);
      const condition = locks.lockWith((news) => news.api === 'Condition' && !news.internal);
      assert.equal(condition.api, 'Condition');
      const waitLine = lineOf(file, 'cond.wait()');
      // The wait for notify is a wait for a signal: a cycle of the Condition's wait, not of its lock.
      const notifyWait = locks.lockWith((news) => news.api === 'Condition.wait');
      assert.deepEqual([notifyWait.lock, notifyWait.kind, notifyWait.internal], [`${condition.lock}/wait`, 'Condition', false]);
      assert.equal(notifyWait.name, 'cond', 'named as the Condition');
      const notified = locks.cyclesOf(notifyWait.lock).filter((c) => c.site?.line === waitLine && c.acquiredMs !== null);
      assert.ok(notified.length >= 1, 'the wait for notify is a cycle at the wait line');
      assert.ok(notified.some((c) => (c.acquiredMs as number) - c.requestMs >= 150), 'its wait is the time blocked in wait()');
      assert.ok(locks.opens.some((open) => open.lock === notifyWait.lock), 'the blocked wait showed live, as a wait for notify');
      const reacquired = locks.cyclesOf(condition.lock).filter((c) => c.site?.line === waitLine && c.acquiredMs !== null);
      assert.ok(reacquired.length >= 1, 'the re-acquire inside wait is a cycle of the lock at the wait line');
      assert.ok(reacquired.every((c) => (c.acquiredMs as number) - c.requestMs < 150), 'requested at the wake-up, not at the start of the wait');
      assert.ok(locks.opens.every((open) => open.lock !== condition.lock), 'the lock itself was never waited for long');

      const events = locks.news.filter((news) => news.kind === 'Event');
      assert.equal(new Set(events.map((n) => n.lock)).size, 2, 'two Events');
      // The lock inside an Event is the Event's workings: never reported, its calls no cycles.
      assert.deepEqual(locks.news.filter((news) => news.api === 'Event' && news.kind !== 'Event'), [], 'no lock inside an Event is reported');
      const eventLine = lineOf(file, 'event.wait()  #');
      const eventIds = new Set(events.map((n) => n.lock));
      const eventWaits = locks.cycles.filter((c) => c.site?.line === eventLine && eventIds.has(c.lock));
      assert.equal(eventWaits.length, 1);
      assert.ok(eventWaits[0].acquiredMs !== null && eventWaits[0].acquiredMs === eventWaits[0].releasedMs);
      assert.ok(eventWaits[0].acquiredMs - eventWaits[0].requestMs >= 150, 'waited for set()');

      const barrier = locks.lockWith((news) => news.kind === 'Barrier');
      const barrierWaits = locks.cyclesOf(barrier.lock);
      assert.equal(barrierWaits.length, 2);
      assert.ok(barrierWaits.every((c) => c.acquiredMs !== null && c.acquiredMs === c.releasedMs));
      assertAtLine(barrierWaits.find((c) => c.pid !== result.pid)?.site ?? null, file, lineOf(file, 'barrier.wait()  #'));
      // The semaphores inside are internal and none of them is reported as held or cycled.
      const internal = new Set(locks.news.filter((n) => n.internal && n.kind === 'Semaphore').map((n) => n.lock));
      assert.ok(locks.cycles.every((c) => !internal.has(c.lock)), 'no cycles of internal semaphores');
    });
  }

  it('switches a hot lock to counts: 200k cycles become lock-stats', async () => {
    const result = await runTraced(programPath('hot.py'), { startMethod: 'fork' });
    assert.equal(result.stdout, 'done\n');
    const locks = new LockRecords(result.records);
    const lock = locks.lockWith((news) => news.api === 'Lock');
    const events = locks.cyclesOf(lock.lock).length;
    const stats = locks.stats.filter((s) => s.lock === lock.lock);
    assert.ok(stats.length >= 1);
    const last = stats[stats.length - 1];
    assert.equal(events + last.acquisitions, 200000);
    assert.ok(events < 5000, `${events} per-cycle events`);
    assert.equal(last.holdHistogram.reduce((a, b) => a + b, 0), last.acquisitions);
    assert.equal(last.waitHistogram.reduce((a, b) => a + b, 0), last.acquisitions);
    assert.equal(last.bucketsMs.length + 1, last.holdHistogram.length);
  });
});
