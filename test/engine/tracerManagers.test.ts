// Manager() objects under the real tracer: calls on proxies of a manager's server process
// (runtimes/python/parallel_lab_tracer/managers) become lock cycles, messages and calls,
// on one identity per managed object in every process; the server process is `manager`.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSummary } from '../../src/extension/engine/export/summary';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LockNewRecord, LockOpenRecord, ProcessStartRecord, SiteRecord, TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import type { StartMethod } from '../../src/shared/runRecord';
import { assertEveryLineAccepted } from '../helpers/records';
import { itWithPython } from '../helpers/pythonVersions';
import { channelsOf, ipcEventsOf, lineOf, rolesOf, runTraced, runUntraced, sitesOf, type IpcEvent, type TracedRunOptions } from '../helpers/tracedPython';

const PROGRAMS: Record<string, string> = {
  // Three workers take one manager lock in turn; the barrier makes them ask together.
  'manager_lock.py': `
import multiprocessing as mp
import time

def work(lock, ready):
    ready.wait()
    for _ in range(5):
        with lock:  # the learner's cycle
            time.sleep(0.005)

if __name__ == "__main__":
    with mp.Manager() as manager:
        lock = manager.Lock()  # made here
        ready = mp.Barrier(3)
        workers = [mp.Process(target=work, args=(lock, ready)) for _ in range(3)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    print("done")
`,
  'manager_queue.py': `
import multiprocessing as mp

def producer(queue):
    for i in range(5):
        queue.put("x" * 1000)  # put here

if __name__ == "__main__":
    with mp.Manager() as manager:
        queue = manager.Queue()
        child = mp.Process(target=producer, args=(queue,))
        child.start()
        got = [queue.get() for _ in range(5)]  # get here
        child.join()
    print(len(got), len(got[0]))
`,
  'manager_dict.py': `
import multiprocessing as mp

def work(counts, names, ns, key):
    for _ in range(10):
        counts[key] = counts.get(key, 0) + 1  # two calls
    names.append(key)  # list call
    ns.last = key  # namespace call

if __name__ == "__main__":
    with mp.Manager() as manager:
        counts, names, ns = manager.dict(), manager.list(), manager.Namespace()
        workers = [mp.Process(target=work, args=(counts, names, ns, k)) for k in ("a", "b")]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print(sorted(counts.items()), sorted(names))
`,
  'manager_signals.py': `
import multiprocessing as mp
import time

def waiter(event, barrier, rlock):
    event.wait()  # event wait
    barrier.wait()  # barrier wait
    with rlock:  # outer rlock
        with rlock:
            pass

if __name__ == "__main__":
    with mp.Manager() as manager:
        event, barrier, rlock, lock = manager.Event(), manager.Barrier(2), manager.RLock(), manager.Lock()
        child = mp.Process(target=waiter, args=(event, barrier, rlock))
        child.start()
        time.sleep(0.3)
        event.set()
        barrier.wait()
        child.join()
        lock.acquire()
        print(lock.acquire(False))  # failed acquire
        lock.release()
`,
  // Two workers take two manager locks in opposite order: a deadlock the test ends.
  'manager_deadlock.py': `
import multiprocessing as mp

def left(a, b, barrier):
    with a:
        barrier.wait()
        with b:  # left waits
            pass

def right(a, b, barrier):
    with b:
        barrier.wait()
        with a:  # right waits
            pass

if __name__ == "__main__":
    manager = mp.Manager()
    a, b = manager.Lock(), manager.Lock()
    barrier = mp.Barrier(2)
    workers = [mp.Process(target=left, args=(a, b, barrier)), mp.Process(target=right, args=(a, b, barrier))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
`,
  'manager_key_error.py': `
import multiprocessing as mp

if __name__ == "__main__":
    manager = mp.Manager()
    counts = manager.dict()
    counts["missing"]
`,
  // The tracer made unable to read a call (its message builder raising), as a call of a kind it
  // does not know would: the run says so, and the program runs as it would anyway.
  'manager_untraceable.py': `
import multiprocessing as mp
from parallel_lab_tracer.managers import calls


def cannot_read(*args, **kwargs):
    raise RuntimeError("a call the tracer cannot read")


calls._message = cannot_read

if __name__ == "__main__":
    with mp.Manager() as manager:
        shared = manager.dict()
        shared["apples"] = 3
        print(shared["apples"])
`,
};

let programDir: string;

before(async () => {
  programDir = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-managers-test-'));
  for (const [name, text] of Object.entries(PROGRAMS)) await writeFile(path.join(programDir, name), text);
});

after(async () => {
  await rm(programDir, { recursive: true, force: true });
});

function programPath(name: string): string {
  return path.join(programDir, name);
}

function lineIn(name: string, text: string): number {
  return lineOf(PROGRAMS[name], text);
}

interface Cycle {
  pid: number;
  lock: string;
  requestMs: number;
  acquiredMs: number | null;
  releasedMs: number | null;
  site: SiteRecord | null;
}

function lockNews(records: TracerRecord[]): LockNewRecord[] {
  return records.filter((r): r is LockNewRecord => r.type === 'lock-new');
}

function cyclesOf(records: TracerRecord[], lock: string): Cycle[] {
  const siteOf = siteRecords(records);
  return records.flatMap((r) =>
    r.type === 'lock-batch'
      ? r.events
        .filter(([, id]) => id === lock)
        .map(([, id, requestMs, acquiredMs, releasedMs, site]) => ({ pid: r.pid, lock: id, requestMs, acquiredMs, releasedMs, site: siteOf(r.pid, site) }))
      : [],
  );
}

function siteRecords(records: TracerRecord[]): (pid: number, id: number | null) => SiteRecord | null {
  const sites = new Map<string, SiteRecord>();
  for (const r of records) if (r.type === 'site') sites.set(`${r.pid}/${r.id}`, r);
  return (pid, id) => (id === null ? null : sites.get(`${pid}/${id}`) ?? null);
}

/** The one lock whose lock-new records have this api; every process that used it says the same. */
function managedLock(records: TracerRecord[], api: string): LockNewRecord {
  const news = lockNews(records).filter((n) => n.api === api);
  const ids = new Set(news.map((n) => n.lock));
  assert.equal(ids.size, 1, `one lock made by ${api}, found ${[...ids].join(', ') || 'none'}`);
  for (const n of news) assert.equal(n.internal, false, `${api} is the learner's in pid ${n.pid}`);
  return news[0];
}

function managerPids(records: TracerRecord[]): number[] {
  return [...rolesOf(records)].filter(([, role]) => role === 'manager').map(([pid]) => pid);
}

/**
 * Under forkserver the run's default start method really was used: the forkserver, not the
 * main, is the parent of the manager and of the learner's processes.
 */
function assertMadeByForkserver(records: TracerRecord[], startMethod: StartMethod | undefined): void {
  if (startMethod !== 'forkserver') return;
  const names = new Map<number, string>();
  for (const r of records) if (r.type === 'process-start' || r.type === 'process-role') names.set(r.pid, r.name);
  const forkservers = [...names].filter(([, name]) => name === 'forkserver').map(([pid]) => pid);
  assert.equal(forkservers.length, 1, `one forkserver: ${JSON.stringify([...names])}`);
  const roles = rolesOf(records);
  const children = records.filter((r): r is ProcessStartRecord => r.type === 'process-start' && ['manager', 'process'].includes(roles.get(r.pid) ?? ''));
  assert.ok(children.length >= 2, 'the manager and the learner\'s processes');
  for (const child of children) assert.equal(child.ppid, forkservers[0], `${roles.get(child.pid)} ${child.pid} forked by the forkserver`);
}

interface AnnouncedChannel {
  api: string;
  kind: string;
  internal: boolean;
  /** As the learner's code names it, from the process that made it. */
  name?: string;
}

/** Each channel's api, kind, internal flag and name, as the tracer announced it. */
function channelApis(records: TracerRecord[]): Map<string, AnnouncedChannel> {
  const channels = new Map<string, AnnouncedChannel>();
  for (const c of channelsOf(records)) {
    channels.set(c.channel, { api: c.api, kind: c.kind, internal: c.internal, name: c.name ?? channels.get(c.channel)?.name });
  }
  return channels;
}

function eventsAt(records: TracerRecord[], events: IpcEvent[], name: string, text: string): IpcEvent[] {
  const siteOf = sitesOf(records);
  const line = lineIn(name, text);
  return events.filter((e) => siteOf(e.pid, e.site)?.line === line && siteOf(e.pid, e.site)?.file === programPath(name));
}

async function assertManagerLock(options: TracedRunOptions): Promise<void> {
  const name = 'manager_lock.py';
  const result = await runTraced(programPath(name), options);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, 'done\n');
  const lock = managedLock(result.records, 'Manager().Lock');
  assert.equal(lock.kind, 'Lock');
  const siteOf = sitesOf(result.records);
  const creation = lockNews(result.records).find((n) => n.lock === lock.lock && n.site !== null);
  assert.ok(creation, 'the creating process names where the lock was made');
  assert.equal(siteOf(creation.pid, creation.site)?.line, lineIn(name, 'lock = manager.Lock()'));
  assert.equal(creation.name, 'lock', 'named as the learner\'s code names it');

  const cycles = cyclesOf(result.records, lock.lock);
  const withLine = lineIn(name, 'with lock:');
  assert.equal(cycles.length, 15, 'five cycles from each of three workers');
  assert.equal(new Set(cycles.map((c) => c.pid)).size, 3, 'from three pids');
  for (const c of cycles) {
    assert.equal(c.site?.file, programPath(name));
    assert.equal(c.site?.line, withLine);
    assert.ok(c.acquiredMs !== null && c.releasedMs !== null && c.requestMs <= c.acquiredMs && c.acquiredMs <= c.releasedMs, JSON.stringify(c));
  }
  // One lock: the recorded holds of all three processes never overlap.
  const holds = cycles.map((c) => [c.acquiredMs!, c.releasedMs!]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < holds.length; i++) assert.ok(holds[i][0] >= holds[i - 1][1], `hold ${i} starts after hold ${i - 1} ends`);
  assert.ok(cycles.some((c) => c.acquiredMs! - c.requestMs > 1), 'a worker waited for the lock another held');

  assertMadeByForkserver(result.records, options.startMethod);
  const managers = managerPids(result.records);
  assert.equal(managers.length, 1, 'one manager process');
  assert.ok(!cycles.some((c) => c.pid === managers[0]), 'the cycles are the workers\', not the server\'s');
  // The manager's own handshake pipe (its address, sent back once) is the library's.
  const channels = [...channelApis(result.records).values()];
  assert.ok(channels.length > 0, 'the handshake pipe carried a message');
  for (const channel of channels) assert.deepEqual([channel.api, channel.internal], ['Pipe', true]);
}

async function assertManagerQueue(options: TracedRunOptions): Promise<void> {
  const name = 'manager_queue.py';
  const result = await runTraced(programPath(name), options);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, '5 1000\n');
  const queues = [...channelApis(result.records)].filter(([, c]) => c.api === 'Manager().Queue');
  assert.equal(queues.length, 1, 'one channel for the managed queue');
  const [queueId, queue] = queues[0];
  assert.deepEqual([queue.kind, queue.internal, queue.name], ['queue', false, 'queue']);
  const events = ipcEventsOf(result.records).filter((e) => e.channel === queueId);
  const puts = eventsAt(result.records, events, name, 'queue.put(');
  const gets = eventsAt(result.records, events, name, 'queue.get()');
  assert.equal(puts.length, 5);
  assert.equal(gets.length, 5);
  assert.equal(events.length, 10, 'nothing else on the queue\'s channel');
  assert.ok(puts.every((e) => e.op === 'put' && e.pid !== result.pid), 'the child put');
  assert.ok(gets.every((e) => e.op === 'get' && e.pid === result.pid), 'the main got');
  // What crossed the connection: the 1000-character string and the call around it.
  for (const e of [...puts, ...gets]) assert.ok(e.bytes >= 1000 && e.bytes < 1200, `${e.op} of ${e.bytes} bytes`);
  assert.equal(managerPids(result.records).length, 1);
  assertMadeByForkserver(result.records, options.startMethod);
}

describe('Manager() objects', function () {
  this.timeout(90_000);
  this.slow(10_000);

  for (const method of ['fork', 'spawn', 'forkserver'] as StartMethod[]) {
    it(`shows 3 workers' cycles of one Manager().Lock at the learner's line, and the manager's role, under ${method}`, async () => {
      await assertManagerLock({ startMethod: method });
    });

    it(`shows a Manager().Queue's puts and gets as messages with their sizes under ${method}`, async () => {
      await assertManagerQueue({ startMethod: method });
    });
  }

  for (const version of ['3.8', '3.13']) {
    itWithPython(version, `shows the Manager().Lock's cycles and the Manager().Queue's messages on Python ${version} under spawn`, async (python) => {
      await assertManagerLock({ python, startMethod: 'spawn' });
      await assertManagerQueue({ python, startMethod: 'spawn' });
    });
  }

  for (const method of [undefined, 'forkserver'] as const) {
    it(`counts every call on a managed dict, list and Namespace as a message to the manager, at its line${method ? ` under ${method}` : ''}`, async () => {
      const name = 'manager_dict.py';
      const result = await runTraced(programPath(name), { startMethod: method });
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, "[('a', 10), ('b', 10)] ['a', 'b']\n");
      const channels = channelApis(result.records);
      const byApi = (api: string): IpcEvent[] => {
        const ids = [...channels].filter(([, c]) => c.api === api).map(([id]) => id);
        assert.equal(ids.length, 1, `one channel for ${api}`);
        const learnerName = { 'Manager().dict': 'counts', 'Manager().list': 'names', 'Manager().Namespace': 'ns' }[api];
        assert.deepEqual([channels.get(ids[0])?.kind, channels.get(ids[0])?.internal, channels.get(ids[0])?.name], ['pipe', false, learnerName]);
        return ipcEventsOf(result.records).filter((e) => e.channel === ids[0]);
      };
      const dictCalls = eventsAt(result.records, byApi('Manager().dict'), name, 'two calls');
      assert.equal(dictCalls.length, 40, 'get and set, ten times, in two workers');
      assert.equal(new Set(dictCalls.map((e) => e.pid)).size, 2);
      assert.ok(dictCalls.every((e) => e.op === 'send' && e.bytes > 0 && e.waitMs >= 0));
      assert.equal(eventsAt(result.records, byApi('Manager().list'), name, 'list call').length, 2);
      assert.equal(eventsAt(result.records, byApi('Manager().Namespace'), name, 'namespace call').length, 2);
      assertMadeByForkserver(result.records, method);
    });
  }

  it('shows Event and Barrier waits, RLock re-entry and a failed acquire on manager objects', async () => {
    const name = 'manager_signals.py';
    const result = await runTraced(programPath(name));
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'False\n');
    const event = managedLock(result.records, 'Manager().Event');
    assert.equal(event.kind, 'Event');
    const [eventWait] = cyclesOf(result.records, event.lock);
    assert.equal(eventWait.site?.line, lineIn(name, 'event wait'));
    assert.ok(eventWait.acquiredMs !== null && eventWait.acquiredMs - eventWait.requestMs > 100, 'waited for the set');
    assert.equal(eventWait.acquiredMs, eventWait.releasedMs);

    const barrier = managedLock(result.records, 'Manager().Barrier');
    assert.equal(barrier.kind, 'Barrier');
    const barrierWaits = cyclesOf(result.records, barrier.lock);
    assert.equal(barrierWaits.length, 2, 'both parties');
    assert.ok(barrierWaits.every((c) => c.acquiredMs !== null));

    const rlock = managedLock(result.records, 'Manager().RLock');
    const rcycles = cyclesOf(result.records, rlock.lock);
    assert.equal(rcycles.length, 1, 're-entry folds into the outer cycle');
    assert.equal(rcycles[0].site?.line, lineIn(name, 'outer rlock'));

    const lock = managedLock(result.records, 'Manager().Lock');
    const lockCycles = cyclesOf(result.records, lock.lock);
    assert.equal(lockCycles.length, 2);
    const failed = lockCycles.filter((c) => c.acquiredMs === null);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].site?.line, lineIn(name, 'failed acquire'));
  });

  it('shows both blocked waits of a deadlock on manager locks while it lasts, with what each holds', async () => {
    const name = 'manager_deadlock.py';
    const result = await runTraced(programPath(name), { startMethod: 'fork', killAfterMs: 2500 });
    assert.equal(result.exitCode, null, 'killed by the test');
    const siteOf = sitesOf(result.records);
    const ids = new Set(lockNews(result.records).filter((n) => n.api === 'Manager().Lock').map((n) => n.lock));
    assert.equal(ids.size, 2);
    const blocked = result.records.filter((r): r is LockOpenRecord => r.type === 'lock-open' && ids.has(r.lock));
    assert.equal(blocked.length, 2, JSON.stringify(blocked));
    const lines = [lineIn(name, 'left waits'), lineIn(name, 'right waits')];
    for (const open of blocked) {
      assert.equal(open.acquiredMs, null);
      assert.ok(lines.includes(siteOf(open.pid, open.site)?.line ?? -1), 'at the inner with');
      assert.equal(open.held.length, 1, 'each holds its first lock');
      const other = blocked.find((o) => o !== open);
      assert.equal(open.held[0][0], other?.lock, 'holds what the other waits for');
      assert.ok(open.held[0][1] <= open.requestMs);
    }
    assert.notEqual(blocked[0].pid, blocked[1].pid);
  });

  it('leaves the traceback of a manager\'s KeyError as it is without the tracer', async () => {
    const file = programPath('manager_key_error.py');
    const traced = await runTraced(file);
    const plain = await runUntraced(file);
    assert.equal(traced.exitCode, plain.exitCode);
    assert.match(plain.stderr, /KeyError: 'missing'/);
    assert.equal(traced.stderr, plain.stderr);
  });

  it('says in one sentence which Manager() calls it could not trace, and the program runs as usual', async () => {
    const run = await ProfileRun.start({ file: programPath('manager_untraceable.py') });
    const record = await run.finished;
    assert.equal(record.exitCode, 0, record.stderr);
    assert.equal(record.stdout, '3\n');
    assert.deepEqual(record.warnings, [
      'Some calls on a Manager() dict could not be traced: the panel does not show them (the program itself ran as usual).',
    ]);
    assert.match(formatSummary(record), /Warnings\n {2}- Some calls on a Manager\(\) dict could not be traced/);
  });

  it('puts the manager lock in the record and the summary, and the manager process by its role', async () => {
    const run = await ProfileRun.start({ file: programPath('manager_lock.py'), startMethod: 'fork' });
    const record = await run.finished;
    assertEveryLineAccepted(record);
    const managers = record.processes.filter((p) => p.role === 'manager');
    assert.equal(managers.length, 1);
    assert.match(managers[0].name, /^SyncManager-/);
    const lock = record.locks.find((l) => l.api === 'Manager().Lock');
    assert.ok(lock, 'the manager lock is in the record');
    assert.equal(lock.internal, false);
    assert.equal(lock.site?.line, lineIn('manager_lock.py', 'lock = manager.Lock()'));
    const summary = formatSummary(record);
    assert.equal(lock.name, 'lock');
    assert.doesNotMatch(summary, /manager:/, 'the lock\'s id stays out of the learner\'s view');
    const lockRow = summary.split('\n').find((line) => line.trim().startsWith('lock '));
    assert.ok(lockRow, summary);
    assert.match(lockRow, /^\s+\S+\s+Manager\(\)\.Lock\s+15\s/, 'fifteen acquisitions of the manager lock');
    assert.match(summary, /\bmanager\s+SyncManager-\d/, summary);
  });
});
