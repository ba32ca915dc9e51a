// Every process's threads in the record, on real runs: the names and native ids the program
// itself sees, their starts and ends, and their CPU as the sampler measured it, checked against
// each thread's own time.thread_time(); on every installed Python.

import { strict as assert } from 'node:assert';
import { PROCESS_SOURCE_ENV } from '../../src/extension/engine/sampling/processSource';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { ProcessEntry, RunRecord, StartMethod, ThreadEntry } from '../../src/shared/runRecord';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';
import { assertEveryLineAccepted, withEventArray } from '../helpers/records';

const VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

/**
 * Three chefs burn CPU in pure Python for a second, three others sleep as long; each reports
 * its native id, its own CPU time and how long it lived. A chef idles 0.3 s after burning,
 * before it ends: the sampler reads a thread's CPU at its ticks, and the CPU of a thread after
 * its last tick is not seen (the tracer's figure at its end is); the pause lets a tick read all
 * of the burning, so that what is compared is the sampler's measure, not where its ticks fall.
 */
const CHEFS = `
import json, threading, time

facts = []

def report(started):
    facts.append({"name": threading.current_thread().name, "tid": threading.get_native_id(),
                  "cpu": time.thread_time(), "life": time.perf_counter() - started})

def burn():
    started = time.perf_counter()
    steps = 0
    while time.perf_counter() - started < 1.0:
        steps += 1
    time.sleep(0.3)
    report(started)

def nap():
    started = time.perf_counter()
    time.sleep(1.0)
    report(started)

if __name__ == "__main__":
    threads = [threading.Thread(name="chef-%d" % i, target=burn) for i in (1, 2, 3)]
    threads += [threading.Thread(name="sleeper-%d" % i, target=nap) for i in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"main": threading.get_native_id(), "threads": facts}))
`;

interface ThreadFact {
  name: string;
  tid: number;
  /** Seconds: its time.thread_time() at the end, and how long it ran its target. */
  cpu: number;
  life: number;
}

async function profile(file: string, options: { python?: string; startMethod?: StartMethod } = {}): Promise<RunRecord> {
  const record = withEventArray(await (await ProfileRun.start({ file, ...options, timeoutMs: 60_000 })).finished);
  assert.equal(record.exitCode, 0, record.stderr);
  assertEveryLineAccepted(record);
  return record;
}

/**
 * The CPU the sampler measured for a thread, over its life: each sample's % times the interval
 * it covers (for the first, since the process's sample before it, as the sampler read it).
 */
function sampledShare(thread: ThreadEntry, process: ProcessEntry): number {
  let cpuMs = 0;
  let previous: number | null = null;
  for (const sample of thread.samples) {
    const before = process.samples.filter((s) => s.t < sample.t).pop()?.t ?? thread.startMs;
    const since = previous ?? before;
    cpuMs += (sample.cpu / 100) * Math.max(0, sample.t - since);
    previous = sample.t;
  }
  assert.ok(thread.endMs !== null, `${thread.name} ended`);
  return cpuMs / (thread.endMs - thread.startMs);
}

function assertWithinProcess(thread: ThreadEntry, process: ProcessEntry): void {
  assert.ok(thread.endMs !== null && process.endMs !== null, `${thread.name} and its process ended`);
  assert.ok(process.startMs <= thread.startMs && thread.startMs < thread.endMs && thread.endMs <= process.endMs,
    `${thread.name} lived ${thread.startMs}–${thread.endMs} ms, within its process's ${process.startMs}–${process.endMs} ms`);
}

describe('threads in the run record (real Python)', function () {
  this.timeout(120_000);

  describe('sampled (Linux)', () => {
    before(function () {
      if (process.platform !== 'linux') this.skip();
    });

    for (const version of VERSIONS) {
      itWithPython(version, `names each thread with its native id, and measures burning and sleeping threads as they measure themselves (Python ${version})`, async (python) => {
        const record = await profile(writeProgram('chefs.py', CHEFS), { python });
        const said = JSON.parse(record.stdout) as { main: number; threads: ThreadFact[] };
        const main = record.processes.find((p) => p.role === 'main');
        assert.ok(main?.threads, `the main process has threads: ${JSON.stringify(main)}`);
        const threads = main.threads;
        assert.deepEqual([threads[0].name, threads[0].tid, threads[0].python, threads[0].startMs], ['MainThread', said.main, true, main.startMs],
          'the main thread first, from the start of its process');
        const byName = new Map(threads.map((thread) => [thread.name, thread]));
        const shares: string[] = [];
        let sampledChefs = 0;
        let trueChefs = 0;
        for (const fact of said.threads) {
          const thread = byName.get(fact.name);
          assert.ok(thread, `${fact.name} is in the record: ${threads.map((t) => t.name).join(', ')}`);
          assert.equal(thread.tid, fact.tid, `${fact.name}'s native id`);
          assert.equal(thread.python, true);
          assertWithinProcess(thread, main);
          assert.ok(thread.samples.length >= 2, `${fact.name} was sampled: ${JSON.stringify(thread.samples)}`);
          const sampled = sampledShare(thread, main);
          const truth = fact.cpu / fact.life;
          shares.push(`${fact.name}: sampled ${(sampled * 100).toFixed(1)} %, its own ${(truth * 100).toFixed(1)} %`);
          assert.ok(Math.abs(sampled - truth) <= 0.1, `within 10 points of what the thread measured:\n${shares.join('\n')}`);
          if (fact.name.startsWith('sleeper')) assert.ok(sampled < 0.05, `a sleeping thread is near 0:\n${shares.join('\n')}`);
          if (fact.name.startsWith('chef')) {
            sampledChefs += sampled;
            trueChefs += truth;
          }
        }
        assert.equal(said.threads.length, 6);
        // One GIL: the chefs together had one core at most, whatever the number of cores.
        assert.ok(Math.abs(sampledChefs - trueChefs) <= 0.1 && sampledChefs <= 1.1, `the chefs together:\n${shares.join('\n')}`);
      });
    }

    for (const version of VERSIONS) {
      itWithPython(version, `records the threads a pool task starts under the worker that ran it (Python ${version})`, async (python) => {
        assertPoolThreads(await profile(writeProgram('pool_threads.py', POOL_THREADS), { python }));
      });
    }

    it('records the threads a pool task starts under the worker that ran it, under spawn', async () => {
      assertPoolThreads(await profile(writeProgram('pool_threads.py', POOL_THREADS), { startMethod: 'spawn' }));
    });

    it('tells a thread that waits for a core from one that is blocked', async () => {
      // Three busy processes on one core: each is ready to run about two thirds of the time.
      // Each has a second thread, which sleeps (a process is sampled while it runs).
      const file = writeProgram('one_core.py', `
        import multiprocessing as mp, os, threading, time

        def burn():
            napper = threading.Thread(target=time.sleep, args=(0.8,), name="napper")
            napper.start()
            end = time.perf_counter() + 0.8
            while time.perf_counter() < end:
                pass
            napper.join()

        if __name__ == "__main__":
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            mp.set_start_method("fork")
            children = [mp.Process(target=burn, name="burner-%d" % i) for i in range(3)]
            for child in children:
                child.start()
            for child in children:
                child.join()
      `);
      const record = await profile(file);
      const children = record.processes.filter((p) => p.role === 'process');
      assert.equal(children.length, 3);
      const said = JSON.stringify(children.map((p) => p.threads?.map((t) => [t.name, t.samples.map((s) => s.state)])));
      const mostly = (thread: ThreadEntry | undefined, state: string): boolean =>
        thread !== undefined && thread.samples.length >= 3 && thread.samples.filter((s) => s.state === state).length > thread.samples.length / 2;
      for (const child of children) {
        assert.ok(mostly(child.threads?.[0], 'waiting-for-core'), `${child.name}'s burning thread mostly waited for the core: ${said}`);
        assert.ok(mostly(child.threads?.find((t) => t.name === 'napper'), 'waiting'), `its sleeping thread was mostly blocked: ${said}`);
      }
    });

    it("names a thread Python did not start by the kernel's name for it", async () => {
      const file = writeProgram('raw_thread.py', `
        import _thread, time

        said = []

        def grind():
            tid = _thread.get_native_id()
            with open("/proc/self/task/%d/comm" % tid, "w") as comm:
                comm.write("grinder")
            said.append(tid)
            while time.thread_time() < 0.3:
                pass
            # Idle a moment before ending: the sampler then reads all the CPU it used.
            time.sleep(0.3)
            said.append("done")

        if __name__ == "__main__":
            _thread.start_new_thread(grind, ())
            while "done" not in said:
                time.sleep(0.05)
            time.sleep(0.3)
            print(said[0])
      `);
      const record = await profile(file);
      const main = record.processes.find((p) => p.role === 'main');
      const grinder = main?.threads?.find((thread) => thread.tid === Number(record.stdout.trim()));
      assert.ok(grinder, `the thread is in the record: ${JSON.stringify(main?.threads)}`);
      assert.deepEqual([grinder.name, grinder.python], ['grinder', false]);
      assert.ok(grinder.samples.length > 0 && grinder.cpuMs !== null && grinder.cpuMs >= 290, `its CPU time: ${JSON.stringify(grinder)}`);
      assert.ok(grinder.endMs !== null && grinder.endMs < (main?.endMs ?? 0), 'its end: when the sampler no longer found it, before its process ended');
    });
  });

  describe('where the platform does not sample threads (the macOS and Windows path)', () => {
    before(() => (process.env[PROCESS_SOURCE_ENV] = 'listing'));
    after(() => delete process.env[PROCESS_SOURCE_ENV]);

    it("lists the tracer's threads, with their CPU time at their end and no samples", async () => {
      const record = await profile(writeProgram('chefs.py', CHEFS));
      const said = JSON.parse(record.stdout) as { main: number; threads: ThreadFact[] };
      const main = record.processes.find((p) => p.role === 'main');
      assert.deepEqual(main?.threads?.map((t) => [t.name, t.tid, t.samples.length]).sort(),
        [['MainThread', said.main, 0], ...said.threads.map((fact) => [fact.name, fact.tid, 0])].sort());
      for (const fact of said.threads) {
        const thread = main?.threads?.find((t) => t.name === fact.name);
        // time.thread_time() once more at its end, a moment after the program's own reading.
        assert.ok(thread?.cpuMs !== null && thread?.cpuMs !== undefined && Math.abs(thread.cpuMs - fact.cpu * 1000) < 5, `${fact.name}: ${thread?.cpuMs} ms, ${fact.cpu * 1000} ms said`);
      }
    });
  });
});

/** A ProcessPoolExecutor whose tasks each start two named threads, and say where and under which ids. */
const POOL_THREADS = `
import os, threading, time
from concurrent.futures import ProcessPoolExecutor

def spin(ids, i):
    ids[i] = threading.get_native_id()
    end = time.perf_counter() + 0.2
    while time.perf_counter() < end:
        pass

def task(n):
    ids = {}
    helpers = [threading.Thread(name="helper-%d-%d" % (n, i), target=spin, args=(ids, i)) for i in range(2)]
    for helper in helpers:
        helper.start()
    for helper in helpers:
        helper.join()
    return os.getpid(), [[helper.name, ids[i]] for i, helper in enumerate(helpers)]

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as pool:
        for pid, helpers in pool.map(task, range(2)):
            for name, tid in helpers:
                print(pid, name, tid)
`;

function assertPoolThreads(record: RunRecord): void {
  const lines = record.stdout.trim().split('\n').map((line) => line.split(' '));
  assert.equal(lines.length, 4, record.stdout);
  for (const [pid, name, tid] of lines) {
    const worker = record.processes.find((p) => p.pid === Number(pid));
    assert.equal(worker?.role, 'pool-worker', `${pid} is a pool worker`);
    const thread = worker.threads?.find((t) => t.name === name);
    assert.ok(thread, `${name} is among ${pid}'s threads: ${JSON.stringify(worker.threads?.map((t) => t.name))}`);
    assert.deepEqual([thread.tid, thread.python], [Number(tid), true]);
    assertWithinProcess(thread, worker);
    assert.equal(worker.threads?.[0].name, 'MainThread', "the worker's own thread first");
  }
}
