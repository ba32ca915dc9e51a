// The stove under `parallel-lab run`, on real Python of every installed version (Linux): the
// threads of a process where two or more want to run are sampled every few ms, with their
// wait for the GIL, and their shares of that time agree with each thread's own
// time.thread_time(); the summary says how they shared the stove. Threads that sleep do not
// fight, and a single-threaded process is never read fast.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessEntry, RunRecord, ThreadEntry } from '../../src/shared/runRecord';
import { isFastSample, timeTotals } from '../../src/shared/threadShares';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';

const VERSIONS = ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];

/**
 * `n` threads (argv[1]) start `work` together behind a barrier; each then reports, as a JSON
 * line at the end, its native id, its own time.thread_time() and how long it worked.
 */
function program(work: string): string {
  return `
import json, sys, threading, time
${work}
n = int(sys.argv[1])
barrier = threading.Barrier(n + 1)
facts = []
def run():
    barrier.wait()
    began = time.perf_counter()
    work()
    facts.append({"tid": threading.get_native_id(), "cpu": time.thread_time(), "life": time.perf_counter() - began})
threads = [threading.Thread(target=run, name="chef-%d" % i) for i in range(n)]
for thread in threads:
    thread.start()
barrier.wait()
for thread in threads:
    thread.join()
print(json.dumps(facts))
`;
}

const BURN = `
def work():
    end = time.monotonic() + 1.5
    x = 0
    while time.monotonic() < end:
        x += 1
`;

const SLEEP = `
def work():
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        time.sleep(0.01)
`;

interface ThreadFact {
  tid: number;
  /** Seconds. */
  cpu: number;
  life: number;
}

interface StoveRun {
  record: RunRecord;
  summary: string;
  main: ProcessEntry;
  facts: ThreadFact[];
}

async function runThreads(python: string, work: string, threads: number): Promise<StoveRun> {
  const file = writeProgram('stove.py', program(work));
  const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-stove-')), 'run.json');
  const result = await runCli(['run', file, '--python', python, '--json', json, '--', String(threads)]);
  assert.equal(result.code, 0, result.stderr);
  const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
  const main = record.processes.find((p) => p.role === 'main');
  assert.ok(main?.threads, `the main process and its threads: ${JSON.stringify(record.processes)}`);
  const facts = JSON.parse(record.stdout) as ThreadFact[];
  assert.equal(facts.length, threads);
  return { record, summary: result.stdout, main, facts };
}

function threadOf(run: StoveRun, tid: number): ThreadEntry {
  const thread = run.main.threads?.find((t) => t.tid === tid);
  assert.ok(thread, `thread ${tid} is in the record`);
  return thread;
}

/** The median time between two consecutive fast samples of a thread. */
function medianSpacingMs(thread: ThreadEntry): number {
  const times = thread.samples.filter(isFastSample).map((sample) => sample.t);
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

const percent = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)} %`;

describe('the stove under parallel-lab run (real Python)', function () {
  this.timeout(120_000);

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  for (const version of VERSIONS) {
    for (const burners of [2, 4]) {
      itWithPython(version, `reads ${burners} GIL-bound threads every 5 ms, their shares as they measure themselves, and says they shared one stove (Python ${version})`, async (python) => {
        const run = await runThreads(python, BURN, burners);
        assert.deepEqual(run.record.sampling, { intervalMs: 100, fastThreadIntervalMs: 5, fastSamplesPerProcess: 12_000 });
        const said: string[] = [];
        let ranTogether = 0;
        for (const fact of run.facts) {
          const thread = threadOf(run, fact.tid);
          const fast = thread.samples.filter(isFastSample);
          assert.ok(fast.length >= 100, `${thread.name} was read fast: ${fast.length} fast samples of ${thread.samples.length}`);
          assert.ok(medianSpacingMs(thread) <= 10, `${thread.name}'s fast samples ${medianSpacingMs(thread)} ms apart`);
          // On a busy machine much of the wait can be for a core instead (a thread handed the GIL still needs a core).
          const gilSamples = fast.filter((s) => s.state === 'waiting-for-gil').length;
          assert.ok(gilSamples >= 10, `${thread.name} mostly waited for the GIL in ${gilSamples} of its ${fast.length} fast samples`);
          const totals = timeTotals(fast);
          const ran = totals.ranMs / totals.totalMs;
          const own = fact.cpu / fact.life;
          said.push(`${thread.name}: ran ${percent(totals.ranMs, totals.totalMs)} (its own ${percent(fact.cpu, fact.life)}), ` +
            `GIL ${percent(totals.gilWaitMs, totals.totalMs)}, core ${percent(totals.coreWaitMs, totals.totalMs)}, waiting ${percent(totals.waitingMs, totals.totalMs)}`);
          assert.ok(Math.abs(ran - own) <= 0.1, `within 10 points of what each thread measured:\n${said.join('\n')}`);
          // Asleep, a burning thread waits for nothing but the GIL.
          assert.ok(totals.gilWaitMs > 0.8 * (totals.gilWaitMs + totals.waitingMs), said.join('\n'));
          ranTogether += ran;
        }
        assert.ok(ranTogether <= 1.1, `one stove: together at most one core:\n${said.join('\n')}`);
        assert.match(run.summary, new RegExp(`^ {4}${run.main.pid} MainProcess: ${burners} threads shared one stove: `, 'm'), run.summary);
      });
    }

    itWithPython(version, `says nothing of a fight of sleeping threads (Python ${version})`, async (python) => {
      const run = await runThreads(python, SLEEP, 3);
      const gilWaits = run.record.processes.flatMap((p) => p.threads ?? []).flatMap((t) => t.samples).filter((s) => s.state === 'waiting-for-gil');
      assert.deepEqual(gilWaits, [], 'no thread waited for the GIL');
      assert.doesNotMatch(run.summary, /shared one stove/, run.summary);
    });
  }

  it('never reads a single-threaded process fast, however busy', async () => {
    const file = writeProgram('alone.py', `
      import multiprocessing as mp, time

      def burn():
          end = time.monotonic() + 1.0
          while time.monotonic() < end:
              pass

      if __name__ == "__main__":
          child = mp.get_context("fork").Process(target=burn)
          child.start()
          burn()
          child.join()
    `);
    const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-stove-')), 'run.json');
    const result = await runCli(['run', file, '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    const busy = record.processes.filter((p) => p.role === 'main' || p.role === 'process');
    assert.equal(busy.length, 2);
    for (const process of busy) {
      const [thread, ...others] = process.threads ?? [];
      assert.deepEqual(others, [], `${process.name} had one thread`);
      assert.ok(thread.samples.length >= 5, `${process.name}'s thread was sampled: ${JSON.stringify(thread.samples)}`);
      assert.ok(thread.samples.every((s) => s.ranMs !== undefined), `each sample says how its time was spent: ${JSON.stringify(thread.samples)}`);
      const fast = thread.samples.filter(isFastSample);
      assert.equal(fast.length, 0, `${process.name} was read fast: ${JSON.stringify(fast.slice(0, 5))}…`);
    }
    assert.doesNotMatch(result.stdout, /stove/);
  });
});
