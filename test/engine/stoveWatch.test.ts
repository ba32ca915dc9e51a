// When the sampler reads a process's threads fast (stoveWatch.ts), on real Python (Linux): it
// starts while two threads fight over the GIL and stops when they are done, or once the
// process has had its fast reads; the thread samples of the two rates then follow each other
// with neither overlap nor gap, each covering the time since the one before.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { RunRecordBuilder, DEFAULT_CAPS } from '../../src/extension/engine/record/recordBuilder';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { Sampler } from '../../src/extension/engine/sampling/sampler';
import type { ThreadEntry, ThreadSample } from '../../src/shared/runRecord';
import { isFastSample } from '../../src/shared/threadShares';

/** Two threads burn for `seconds` while the main thread joins them; then the main thread sleeps half a second. */
function fightThenRest(seconds: number): string {
  return `
import threading, time
def burn():
    end = time.monotonic() + ${seconds}
    while time.monotonic() < end:
        pass
chefs = [threading.Thread(target=burn) for _ in range(2)]
for chef in chefs:
    chef.start()
for chef in chefs:
    chef.join()
time.sleep(0.5)
`;
}

/** Samples a Python program with the sampler (no tracer) into a record builder, fast reads included, until it ends. */
async function sampled(source: string, readsPerProcess: number): Promise<{ threads: ThreadEntry[]; endMs: number; truncated: boolean }> {
  const child = spawn('python3', ['-c', source], { stdio: 'inherit' });
  const pid = child.pid!;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const builder = new RunRecordBuilder();
  builder.addRoot(pid, process.pid, 'python3');
  const sampler = new Sampler({
    rootPid: pid,
    clock: new RunClock(),
    onTick: (tick) => builder.applySamplerTick(tick),
    fastThreads: { readsPerProcess, onReading: (reading) => builder.applyStoveReading(reading) },
  });
  sampler.start();
  assert.equal(await exited, 0);
  await sampler.stop();
  const [main] = builder.finishProcesses(0);
  return { threads: main.threads ?? [], endMs: main.endMs ?? 0, truncated: builder.truncated };
}

function spentMs(sample: ThreadSample): number {
  return (sample.ranMs ?? 0) + (sample.coreWaitMs ?? 0) + (sample.gilWaitMs ?? 0) + (sample.waitingMs ?? 0);
}

/** Each sample after the first covers the time since the one before, to a few ms (a tick's reads take a moment). */
function assertSamplesFollowOn(thread: ThreadEntry): void {
  thread.samples.slice(1).forEach((sample, i) => {
    const since = sample.t - thread.samples[i].t;
    assert.ok(Math.abs(since - spentMs(sample)) <= 10, `${thread.tid}'s sample at ${sample.t} ms covers ${spentMs(sample)} ms, ${since} ms after the one before`);
  });
}

const fastTimes = (thread: ThreadEntry): number[] => thread.samples.filter(isFastSample).map((s) => s.t);
const slowTimes = (thread: ThreadEntry): number[] => thread.samples.filter((s) => !isFastSample(s)).map((s) => s.t);

describe('the sampler reads a process fast while its threads fight (real Python)', function () {
  this.timeout(60_000);

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  it('while two threads burn, and no longer once only the main thread is left', async () => {
    const { threads, endMs, truncated } = await sampled(fightThenRest(0.8), DEFAULT_CAPS.fastSamplesPerThread);
    assert.equal(truncated, false);
    const [main, ...chefs] = threads;
    assert.equal(chefs.length, 2);
    for (const chef of chefs) assert.ok(fastTimes(chef).length >= 50, `a chef read fast: ${fastTimes(chef).length} samples`);
    // The tick that finds the chefs gone (their end, without a tracer) stops the fast reads, with a last one.
    const chefsGoneMs = Math.max(...chefs.map((chef) => chef.endMs ?? Infinity));
    const lastFast = Math.max(...fastTimes(main));
    assert.ok(lastFast - chefsGoneMs < 10, `the last fast sample at ${lastFast} ms, the chefs gone at ${chefsGoneMs} ms`);
    assert.ok(endMs - lastFast > 300, `the process went on resting until ${endMs} ms`);
    threads.forEach(assertSamplesFollowOn);
  });

  it('no longer than its reads last: then every 100 ms again, with the same threads still fighting', async () => {
    // 100 reads, of which the last two ticks' worth (40) are kept in hand: about 300 ms fast.
    const { threads, truncated } = await sampled(fightThenRest(1.5), 100);
    assert.equal(truncated, false);
    for (const chef of threads.slice(1)) {
      const fast = fastTimes(chef);
      assert.ok(fast.length >= 20 && fast.length <= 100, `read fast ${fast.length} times`);
      const after = slowTimes(chef).filter((t) => t > Math.max(...fast));
      assert.ok(after.length >= 5, `sampled every 100 ms after: ${JSON.stringify(after)}`);
      assertSamplesFollowOn(chef);
    }
  });
});
