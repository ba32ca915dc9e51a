// The stove reader against the truth, on real Python of every installed version (Linux):
// each thread reports its own time.thread_time() and how long it lived, and the reader's
// share of time on a core must agree within 10 percentage points; the GIL wait it infers
// must be where threads fight over the GIL, and nowhere else (a sleep, a threading.Lock
// held long, with and without a timeout, Thread.join).

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { StoveSampler, type StoveThreadSample } from '../../src/extension/engine/sampling/linux/stoveSampler';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { stoveSentence, type StoveThreadShares } from '../../src/shared/stoveWords';
import { itWithPython } from '../helpers/pythonVersions';

/** The Pythons the tracer supports (test/helpers/pythonVersions.ts skips those this machine lacks). */
const VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

/**
 * Starts the threads (`work(i)`, i = 0..n-1) together behind a barrier, prints "started",
 * and at the end prints, per thread: its native id, its time.thread_time() and its life in
 * seconds; the main thread joins them (and reports itself the same way).
 */
function program(threads: number, work: string): string {
  return `
import sys, threading, time
${work}
n = ${threads}
barrier = threading.Barrier(n + 1)
report = []
def run(i):
    barrier.wait()
    began = time.perf_counter()
    work(i)
    report.append((threading.get_native_id(), time.thread_time(), time.perf_counter() - began))
threads = [threading.Thread(target=run, args=(i,), name="chef-%d" % i) for i in range(n)]
for t in threads:
    t.start()
print("started", flush=True)
began = time.perf_counter()
main_cpu = time.thread_time()
barrier.wait()
for t in threads:
    t.join()
report.append((threading.get_native_id(), time.thread_time() - main_cpu, time.perf_counter() - began))
for tid, cpu, life in report:
    print(tid, cpu, life, flush=True)
`;
}

const BURN = `
def work(i):
    end = time.monotonic() + 1.5
    x = 0
    while time.monotonic() < end:
        x += 1
`;

const SLEEP = `
def work(i):
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        time.sleep(0.01)
`;

// Waits of every other kind. Two threads take turns in 'with lock:' (a blocking acquire), two
// in an acquire with a timeout: from 3.11 on, a semaphore wait with a timeout is the same
// futex operation as the GIL's wait, on one word where the GIL's condition variable has two.
// Two wait on an empty queue.Queue (each on a lock of its own, inside a Condition), one reads
// a socket nobody writes to (poll, not futex).
const OTHER_WAITS = `
import queue, socket
locks = [threading.Lock(), threading.Lock()]
empty = queue.Queue()
quiet, _other_end = socket.socketpair()
quiet.settimeout(0.1)
def work(i):
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        if i < 2:
            with locks[0]:
                time.sleep(0.1)
        elif i < 4:
            if locks[1].acquire(timeout=5):
                time.sleep(0.1)
                locks[1].release()
        elif i < 6:
            try:
                empty.get(timeout=0.1)
            except queue.Empty:
                pass
        else:
            try:
                quiet.recv(1)
            except socket.timeout:
                pass
`;

/** What the reader found for one thread, added up over its samples. */
interface ThreadTotals {
  intervalNs: number;
  ranNs: number;
  coreWaitNs: number;
  gilWaitNs: number;
  waitingNs: number;
}

interface Truth {
  tid: number;
  cpuS: number;
  lifeS: number;
}

interface StoveRun {
  pid: number;
  totals: Map<number, ThreadTotals>;
  truth: Truth[];
  gilFound: boolean;
}

/** Runs the program under the stove reader, from "started" to its end. */
async function runUnderStove(python: string, source: string): Promise<StoveRun> {
  const child = spawn(python, ['-c', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = child.pid!;
  const totals = new Map<number, ThreadTotals>();
  let gilFound = false;
  const add = (sample: StoveThreadSample): void => {
    const total = totals.get(sample.tid) ?? { intervalNs: 0, ranNs: 0, coreWaitNs: 0, gilWaitNs: 0, waitingNs: 0 };
    for (const key of Object.keys(total) as (keyof ThreadTotals)[]) total[key] += sample.split[key];
    totals.set(sample.tid, total);
  };
  const stove = new StoveSampler({
    clock: new RunClock(),
    onReading: (reading) => {
      reading.threads.forEach(add);
      gilFound ||= reading.gilFound;
    },
  });
  const lines: string[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'started') {
      stove.watch(pid);
      stove.start();
    } else {
      lines.push(line);
    }
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  stove.stop();
  assert.equal(exitCode, 0, 'the program ran to its end');
  const truth = lines.map((line) => {
    const [tid, cpuS, lifeS] = line.split(' ').map(Number);
    return { tid, cpuS, lifeS };
  });
  return { pid, totals, truth, gilFound };
}

const pct = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);

function totalsOf(run: StoveRun, tid: number): ThreadTotals {
  const total = run.totals.get(tid);
  assert.ok(total !== undefined && total.intervalNs > 0.5e9, `thread ${tid} was read for ${(total?.intervalNs ?? 0) / 1e9} s`);
  return total;
}

/** The reader's share of time on a core against the thread's own, within 10 points. */
function assertRanAsItSays(run: StoveRun, truth: Truth): number {
  const total = totalsOf(run, truth.tid);
  const read = pct(total.ranNs, total.intervalNs);
  const own = pct(truth.cpuS, truth.lifeS);
  assert.ok(Math.abs(read - own) <= 10, `thread ${truth.tid}: ran ${read.toFixed(1)} % by the reader, ${own.toFixed(1)} % by its own thread_time`);
  return read;
}

/** The run in the stove's plain words (every thread read, the main thread among them). */
function sentenceOf(run: StoveRun): string {
  const shares: StoveThreadShares[] = [...run.totals].map(([tid, total]) => ({
    name: String(tid),
    ran: total.ranNs / total.intervalNs,
    gilWait: total.gilWaitNs / total.intervalNs,
    coreWait: total.coreWaitNs / total.intervalNs,
    waiting: total.waitingNs / total.intervalNs,
  }));
  return stoveSentence(shares, true);
}

function describeShares(total: ThreadTotals): string {
  const share = (ns: number): string => `${pct(ns, total.intervalNs).toFixed(1)} %`;
  return `ran ${share(total.ranNs)}, core ${share(total.coreWaitNs)}, GIL ${share(total.gilWaitNs)}, waiting ${share(total.waitingNs)}`;
}

describe('stove reader: who held the GIL (real Python)', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  for (const version of VERSIONS) {
    for (const burners of [2, 4]) {
      itWithPython(version, `${burners} threads burning CPU on Python ${version} share one core, wait for the GIL, and the joining main thread does not`, async (python) => {
        const run = await runUnderStove(python, program(burners, BURN));
        assert.ok(run.gilFound, 'the GIL was found');
        const main = run.truth.find((truth) => truth.tid === run.pid)!;
        const chefs = run.truth.filter((truth) => truth !== main);
        assert.equal(chefs.length, burners);
        let ranSum = 0;
        let heldSum = 0;
        for (const chef of chefs) {
          ranSum += assertRanAsItSays(run, chef);
          const total = totalsOf(run, chef.tid);
          heldSum += pct(total.ranNs + total.coreWaitNs, total.intervalNs);
          // Asleep, a burning thread waits for nothing but the GIL.
          assert.ok(total.gilWaitNs > 0.8 * (total.gilWaitNs + total.waitingNs), `thread ${chef.tid}: ${describeShares(total)}`);
        }
        // One stove: together at most one core. Someone always holds it, running or (on a
        // busy machine) waiting for a core with it in hand.
        assert.ok(ranSum <= 110, `the threads ran ${ranSum.toFixed(1)} % of one core together`);
        assert.ok(heldSum >= 80, `the threads ran or waited for a core ${heldSum.toFixed(1)} % of one core together`);
        const mainTotal = totalsOf(run, run.pid);
        assert.ok(pct(mainTotal.gilWaitNs, mainTotal.intervalNs) < 5, `the main thread joining them: ${describeShares(mainTotal)}`);
        assert.ok(pct(mainTotal.waitingNs, mainTotal.intervalNs) > 80, `the main thread joining them: ${describeShares(mainTotal)}`);
        assert.match(sentenceOf(run), new RegExp(`^${burners} threads shared one stove: `));
      });
    }

    itWithPython(version, `3 sleeping threads on Python ${version} use ~no CPU and do not wait for the GIL`, async (python) => {
      const run = await runUnderStove(python, program(3, SLEEP));
      for (const truth of run.truth) {
        const ran = assertRanAsItSays(run, truth);
        const total = totalsOf(run, truth.tid);
        assert.ok(ran < 5, `thread ${truth.tid}: ${describeShares(total)}`);
        assert.ok(pct(total.gilWaitNs, total.intervalNs) < 5, `thread ${truth.tid}: ${describeShares(total)}`);
      }
      assert.match(sentenceOf(run), /^4 threads slept or waited most of the time .*: they did not fight over the stove\.$/);
    });

    itWithPython(version, `threads waiting on a threading.Lock held long (with and without a timeout), a Queue or a socket on Python ${version} do not wait for the GIL`, async (python) => {
      const run = await runUnderStove(python, program(7, OTHER_WAITS));
      for (const truth of run.truth) {
        assertRanAsItSays(run, truth);
        const total = totalsOf(run, truth.tid);
        assert.ok(pct(total.gilWaitNs, total.intervalNs) < 5, `thread ${truth.tid}: ${describeShares(total)}`);
        assert.ok(pct(total.waitingNs, total.intervalNs) > 80, `thread ${truth.tid}: ${describeShares(total)}`);
      }
      assert.match(sentenceOf(run), /^8 threads slept or waited most of the time .*: they did not fight over the stove\.$/);
    });
  }
});
