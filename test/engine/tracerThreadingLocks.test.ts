// The learner's threading locks under the real tracer, on every Python 3.8 to 3.13 this
// machine has (runtimes/python/parallel_lab_tracer/patches/threading_locks.py): named chefs
// take one threading.Lock in turn, on the timeline with their native thread ids; an RLock,
// an Event, a Condition and a Semaphore are what they are; the standard library's own locks
// (a queue.Queue's, logging's) add nothing; a thread blocked on a lock shows in the live
// deltas while it waits; the program prints the same with and without the tracer.

import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LockNewRecord, LockOpenRecord, TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { isHeldLock, signalOf } from '../../src/shared/learnerNames';
import type { LockEvent, LockInfo } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';
import { lineOf, runTraced, runUntraced, sitesOf, type Site } from '../helpers/tracedPython';

const VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

// Three named threads ("chefs") take one lock ten times each, once an Event lets them go;
// a Semaphore lets two of them at a time put a result on a queue.Queue; each logs through
// logging; an RLock is taken three deep; a thread waits on a Condition for notify; an
// installed package (in a site-packages folder) takes a lock of its own. The chefs write
// their native ids to a file, so that stdout is the same run after run.
const KITCHEN = `
import io
import json
import logging
import os
import pickle
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages"))
import oven

log_lines = io.StringIO()
logging.basicConfig(stream=log_lines, level=logging.INFO, format="%(threadName)s %(message)s")
lock = threading.Lock()
rlock = threading.RLock()
ready = threading.Event()
cond = threading.Condition()
slots = threading.Semaphore(2)
results = queue.Queue()
native_ids = {}
turns = []


def cook(name):
    native_ids[name] = threading.get_native_id()
    ready.wait()  # the event
    for _ in range(10):
        with lock:  # the chefs' lock
            turns.append(name)
            time.sleep(0.002)
    with slots:  # the semaphore
        results.put(name)
    logging.info("done")


chefs = [threading.Thread(target=cook, args=(name,), name=name) for name in ("chef-1", "chef-2", "chef-3")]
for chef in chefs:
    chef.start()
time.sleep(0.1)
with rlock:  # the rlock
    with rlock:
        rlock.acquire()
        rlock.release()
ready.set()
for chef in chefs:
    chef.join()

served = []


def wait_for_order():
    with cond:
        while not served:
            cond.wait()  # the wait for notify


waiter = threading.Thread(target=wait_for_order, name="waiter")
waiter.start()
time.sleep(0.1)
with cond:
    served.append(1)
    cond.notify()
waiter.join()
oven.bake()
print(len(turns), sorted(results.get() for _ in range(3)))
print(sorted(log_lines.getvalue().splitlines()))
# A Manager() under spawn pickles threading.Lock and RLock: they must come back as themselves.
made_with = (threading.Lock, threading.RLock, threading.Condition.__init__)
print(pickle.loads(pickle.dumps(made_with)) == made_with)
with open(sys.argv[0] + ".ids", "w") as ids:
    json.dump(native_ids, ids)
`;

// The main thread holds the lock until the test writes a line: the other thread waits for
// it all that time, and only the test's sight of that wait lets the program end.
// acquire() without blocking and with timeouts, failing; then a Condition on that lock,
// whose wait() and notify() test the lock with acquire(False) (Condition._is_owned).
const GUARDED = `
import threading
import time

lock = threading.Lock()
guard = threading.Condition(lock)
lock.acquire()
print(lock.acquire(False), lock.acquire(blocking=False), lock.acquire(True, 0.1), lock.acquire(timeout=0.02))  # failing
lock.release()
items = []


def take():
    with guard:
        while not items:
            guard.wait()  # the guard's wait
        items.pop()


taker = threading.Thread(target=take)
taker.start()
time.sleep(0.1)
with guard:
    items.append(1)
    guard.notify()
taker.join()
print(lock.locked(), items)
`;

// An installed package's module: its lock is the package's, not the learner's.
const OVEN = `
import threading

oven_lock = threading.Lock()


def bake():
    with oven_lock:
        pass
`;

const BLOCKED = `
import sys
import threading

lock = threading.Lock()


def late():
    with lock:  # blocked here
        pass


with lock:
    thread = threading.Thread(target=late, name="late")
    thread.start()
    sys.stdin.readline()
thread.join()
print("done")
`;

interface Cycle {
  tid: number;
  lock: string;
  requestMs: number;
  acquiredMs: number | null;
  releasedMs: number | null;
  site: Site | null;
}

function cyclesOf(records: TracerRecord[]): Cycle[] {
  const siteOf = sitesOf(records);
  return records.flatMap((record) =>
    record.type === 'lock-batch'
      ? record.events.map(([tid, lock, requestMs, acquiredMs, releasedMs, site]) => ({ tid, lock, requestMs, acquiredMs, releasedMs, site: siteOf(record.pid, site) }))
      : [],
  );
}

function lockInfo(news: LockNewRecord): LockInfo {
  return { id: news.lock, kind: news.kind, api: news.api, internal: news.internal, site: null, name: news.name };
}

describe('threading locks under the tracer', function () {
  this.timeout(120_000);
  this.slow(10_000);

  for (const version of VERSIONS) {
    itWithPython(version, `traces the learner's threading locks and no library lock (Python ${version})`, async (python) => {
      const file = writeProgram('kitchen.py', KITCHEN);
      mkdirSync(path.join(path.dirname(file), 'site-packages'));
      writeFileSync(path.join(path.dirname(file), 'site-packages', 'oven.py'), OVEN);
      const plain = await runUntraced(file, python);
      assert.equal(plain.exitCode, 0, plain.stderr);
      const result = await runTraced(file, { python });
      assert.deepEqual([result.stdout, result.stderr, result.exitCode], [plain.stdout, plain.stderr, plain.exitCode], 'the output is the same traced');
      assert.match(result.stdout, /^30 \['chef-1', 'chef-2', 'chef-3'\]\n/);

      const news = result.records.filter((record): record is LockNewRecord => record.type === 'lock-new');
      const byName = new Map<string, LockNewRecord[]>();
      for (const each of news) byName.set(each.name ?? '', [...(byName.get(each.name ?? '') ?? []), each]);
      // Only the learner's: a queue.Queue's mutex and Conditions, logging's RLocks, threading's
      // own Events, an installed package's lock stay plain.
      assert.deepEqual([...byName.keys()].sort(), ['cond', 'lock', 'ready', 'rlock', 'slots']);
      const only = (name: string, api: string): LockNewRecord => {
        const found = (byName.get(name) ?? []).filter((each) => each.api === api);
        assert.equal(found.length, 1, `one ${api} named ${name}: ${JSON.stringify(byName.get(name))}`);
        assert.equal(found[0].internal, false);
        return found[0];
      };
      const cycles = cyclesOf(result.records);
      const of = (lock: LockNewRecord): Cycle[] => cycles.filter((cycle) => cycle.lock === lock.lock);
      const at = (text: string): number => lineOf(KITCHEN.replace(/^\n/, ''), text);

      // The chefs' lock: 30 cycles, 10 per chef, on their native ids, at their `with lock:`.
      const lock = only('lock', 'threading.Lock');
      assert.equal(lock.kind, 'Lock');
      const chefIds = Object.values(JSON.parse(readFileSync(`${file}.ids`, 'utf8')) as Record<string, number>);
      assert.equal(new Set(chefIds).size, 3);
      const lockCycles = of(lock);
      assert.equal(lockCycles.length, 30);
      assert.deepEqual([...new Set(lockCycles.map((cycle) => cycle.tid))].sort(), [...chefIds].sort(), 'the tids are the native ids the chefs read');
      for (const tid of chefIds) assert.equal(lockCycles.filter((cycle) => cycle.tid === tid).length, 10);
      for (const cycle of lockCycles) {
        assert.equal(cycle.site?.file, file);
        assert.equal(cycle.site?.line, at('with lock:  # the chefs'));
        assert.ok(cycle.acquiredMs !== null && cycle.releasedMs !== null && cycle.requestMs <= cycle.acquiredMs && cycle.acquiredMs <= cycle.releasedMs);
      }
      const holds = lockCycles.map((cycle) => [cycle.acquiredMs as number, cycle.releasedMs as number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (let i = 1; i < holds.length; i++) assert.ok(holds[i][0] >= holds[i - 1][1], `holds ${i - 1} and ${i} overlap`);
      assert.ok(lockCycles.some((cycle) => (cycle.acquiredMs as number) - cycle.requestMs >= 1), 'the chefs waited for each other');

      // The RLock taken three deep is one cycle, at the outer `with`.
      const rlockCycles = of(only('rlock', 'threading.RLock'));
      assert.equal(rlockCycles.length, 1);
      assert.equal(rlockCycles[0].site?.line, at('with rlock:  # the rlock'));
      assert.equal(rlockCycles[0].tid, result.pid, 'the main thread\'s native id is the pid');

      // Event.wait: a wait for the event (acquired when it returned), not contention.
      const ready = only('ready', 'threading.Event');
      assert.equal(signalOf(lockInfo(ready)), 'event');
      assert.equal(isHeldLock(lockInfo(ready)), false);
      const readyWaits = of(ready);
      assert.equal(readyWaits.length, 3);
      for (const wait of readyWaits) {
        assert.equal(wait.site?.line, at('ready.wait()  # the event'));
        assert.ok(wait.acquiredMs !== null && wait.acquiredMs === wait.releasedMs);
      }
      assert.ok(readyWaits.some((wait) => (wait.acquiredMs as number) - wait.requestMs >= 50), 'waited for set()');

      // The Condition's lock is the Condition's; its wait for notify a signal wait of its own.
      const cond = only('cond', 'threading.Condition');
      assert.equal(cond.kind, 'Condition');
      const notify = only('cond', 'Condition.wait');
      assert.deepEqual([notify.lock, notify.kind, signalOf(lockInfo(notify))], [`${cond.lock}/wait`, 'Condition', 'notify']);
      const notified = of(notify);
      assert.equal(notified.length, 1);
      assert.equal(notified[0].site?.line, at('cond.wait()  # the wait for notify'));
      assert.ok(notified[0].acquiredMs !== null && notified[0].acquiredMs - notified[0].requestMs >= 50, 'waited for notify');
      const opens = result.records.filter((record): record is LockOpenRecord => record.type === 'lock-open');
      assert.ok(opens.some((open) => open.lock === notify.lock && open.requestMs === notified[0].requestMs), 'the wait for notify showed live');
      const condCycles = of(cond);
      assert.ok(condCycles.some((cycle) => cycle.site?.line === at('cond.wait()  # the wait for notify')), 'the re-acquire inside wait() is a cycle of the lock');

      // The Semaphore: three holds at the chefs' `with slots:`.
      const slots = only('slots', 'threading.Semaphore');
      assert.equal(slots.kind, 'Semaphore');
      const slotCycles = of(slots);
      assert.equal(slotCycles.length, 3);
      assert.deepEqual(new Set(slotCycles.map((cycle) => cycle.tid)), new Set(chefIds));
      for (const cycle of slotCycles) assert.equal(cycle.site?.line, at('with slots:  # the semaphore'));
    });
  }

  for (const version of VERSIONS) {
    itWithPython(version, `records failed and timed-out acquires, and a Condition on a traced Lock (Python ${version})`, async (python) => {
      const file = writeProgram('guarded.py', GUARDED);
      const plain = await runUntraced(file, python);
      const result = await runTraced(file, { python });
      assert.deepEqual([result.stdout, result.stderr], [plain.stdout, plain.stderr]);
      assert.equal(result.stdout, 'False False False False\nFalse []\n');
      const news = result.records.filter((record): record is LockNewRecord => record.type === 'lock-new');
      const lock = news.find((each) => each.name === 'lock');
      const guard = news.find((each) => each.name === 'guard');
      assert.ok(lock && guard, JSON.stringify(news));
      assert.equal(news.length, 2, 'the lock, and the guard\'s waits for notify: the guard has no lock of its own');
      assert.deepEqual([lock.kind, lock.api], ['Lock', 'threading.Lock']);
      assert.deepEqual([guard.kind, guard.api, signalOf(lockInfo(guard))], ['Condition', 'Condition.wait', 'notify']);
      const source = GUARDED.replace(/^\n/, '');
      const cycles = cyclesOf(result.records);
      const failed = cycles.filter((cycle) => cycle.lock === lock.lock && cycle.acquiredMs === null);
      assert.equal(failed.length, 4, 'the four failing acquires, and none of Condition._is_owned\'s tests');
      for (const cycle of failed) {
        assert.equal(cycle.releasedMs, null);
        assert.equal(cycle.site?.line, lineOf(source, '# failing'));
      }
      const requests = failed.map((cycle) => cycle.requestMs).sort((x, y) => x - y);
      assert.ok(requests[3] - requests[2] >= 90, 'the 0.1 s timeout was waited');
      const opens = result.records.filter((record): record is LockOpenRecord => record.type === 'lock-open');
      assert.ok(opens.some((open) => open.lock === lock.lock), 'the 0.1 s wait showed live');
      const waits = cycles.filter((cycle) => cycle.lock === guard.lock);
      assert.equal(waits.length, 1);
      assert.equal(waits[0].site?.line, lineOf(source, "guard.wait()  # the guard's wait"));
      assert.ok(waits[0].acquiredMs !== null && waits[0].acquiredMs - waits[0].requestMs >= 50);
      const held = cycles.filter((cycle) => cycle.lock === lock.lock && cycle.acquiredMs !== null);
      assert.equal(held.length, 4, 'the first hold, the taker\'s, its re-acquire in wait(), the notifier\'s');
      assert.ok(held.every((cycle) => cycle.releasedMs !== null));
    });
  }

  it('gives a threading lock that crosses a fork an identity of its own in the child', async () => {
    const file = writeProgram(
      'forked.py',
      `
      import os
      import threading

      lock = threading.Lock()
      lock.acquire()
      pid = os.fork()
      if pid == 0:
          lock.release()  # the child's copy, held as the parent held it
          with lock:  # the child's cycle
              pass
          os._exit(0)
      os.waitpid(pid, 0)
      lock.release()
      with lock:  # the parent's cycle
          print("both")
      `,
    );
    const plain = await runUntraced(file);
    const result = await runTraced(file);
    assert.deepEqual([result.stdout, result.stderr], [plain.stdout, plain.stderr]);
    const news = result.records.filter((record): record is LockNewRecord => record.type === 'lock-new');
    const parentLock = news.find((each) => each.pid === result.pid);
    const childLock = news.find((each) => each.pid !== result.pid);
    assert.ok(parentLock && childLock);
    assert.equal(childLock.lock, `${parentLock.lock}@${childLock.pid}`, 'the child\'s copy is another lock');
    assert.equal(childLock.name, 'lock');
    const cycles = result.records.flatMap((record) => (record.type === 'lock-batch' ? record.events.map((event) => ({ pid: record.pid, lock: event[1] })) : []));
    assert.deepEqual(cycles.filter((cycle) => cycle.pid === childLock.pid).map((cycle) => cycle.lock), [childLock.lock]);
    assert.deepEqual(cycles.filter((cycle) => cycle.pid === result.pid).map((cycle) => cycle.lock), [parentLock.lock, parentLock.lock]);
  });

  for (const version of VERSIONS) {
    itWithPython(version, `shows a thread blocked on a threading.Lock in the live deltas while it waits (Python ${version})`, async (python) => {
      const file = writeProgram('blocked.py', BLOCKED);
      const run = await ProfileRun.start({ file, python, live: true, stdin: 'pipe', intervalMs: 100, timeoutMs: 60_000 });
      let lockId: string | undefined;
      let waiting: LockEvent | undefined;
      const deadline = Date.now() + 30_000;
      while (!waiting && Date.now() < deadline) {
        for (const delta of run.drainLiveDeltas()) {
          if (delta.kind === 'locks') lockId ??= delta.locks.find((lock) => lock.name === 'lock' && lock.api === 'threading.Lock')?.id;
          if (delta.kind === 'lock-events') waiting ??= delta.events.find((event) => event.lock === lockId && event.acquiredMs === null);
        }
        if (!waiting) await delay(50);
      }
      // Only now may the main thread let the lock go: the wait was seen while it lasted.
      run.writeInput('\n');
      const record = await run.finished;
      assert.ok(waiting, 'the blocked wait was in the live deltas');
      assert.equal(record.exitCode, 0, record.stderr);
      assert.equal(record.stdout, 'done\n');
      const late = [...record.lockEvents].filter((event) => event.lock === lockId && event.tid === waiting?.tid);
      assert.equal(late.length, 1, 'the blocked thread\'s one cycle');
      assert.equal(late[0].requestMs, waiting.requestMs, 'the live wait became this cycle');
      assert.ok(late[0].acquiredMs !== null && late[0].acquiredMs - late[0].requestMs >= 50);
      assert.equal(late[0].site?.line, lineOf(BLOCKED.replace(/^\n/, ''), 'with lock:  # blocked here'));
      assert.notEqual(waiting.tid, record.processes[0].pid, 'a thread of its own, by its native id');
    });
  }
});
