import { strict as assert } from 'node:assert';
import { ThreadTable } from '../../src/extension/engine/record/threadTable';
import { dominantState } from '../../src/extension/engine/sampling/linux/gilWaits';
import type { StoveThreadSample } from '../../src/extension/engine/sampling/linux/stoveSampler';
import type { ObservedThread } from '../../src/extension/engine/sampling/processReading';
import { classifyBySchedstat } from '../../src/extension/engine/sampling/threadStates';
import type { ThreadEntry } from '../../src/shared/runRecord';

const CAPS = { threadsPerProcess: 10, samplesPerThread: 100, fastSamplesPerThread: 100 };

function read(tid: number, key: string, cpuTimeMs = 1): ObservedThread {
  return { tid, key, name: 'python3', cpu: 10, state: 'running', ranMs: 10, coreWaitMs: 0, waitingMs: 90, cpuTimeMs };
}

/** A fast reading of a thread: 5 ms, of which it ran `ranMs` and waited for the GIL the rest. */
function readFast(tid: number, t: number, ranMs: number): StoveThreadSample {
  const split = { intervalNs: 5e6, ranNs: ranMs * 1e6, coreWaitNs: 0, gilWaitNs: (5 - ranMs) * 1e6, waitingNs: 0 };
  return { tid, t, cpu: (ranMs / 5) * 100, state: dominantState(split), split };
}

function facts(entries: readonly ThreadEntry[]): Array<[number, string, boolean, number, number | null]> {
  return entries.map((t) => [t.tid, t.name, t.python, t.startMs, t.endMs]);
}

describe('ThreadTable', () => {
  it("keeps a reading taken a moment after a thread's reported end on that thread", () => {
    const table = new ThreadTable(CAPS);
    table.started(7, 'chef', 10);
    table.ended(7, 'chef', 10, 95, 40);
    // The tick dated 90 read it before it left: it is the same thread, whose own CPU time stays.
    table.observe(90, [read(7, '7@1', 39)]);
    assert.deepEqual(facts(table.entries), [[7, 'chef', true, 10, 95]]);
    assert.equal(table.entries[0].cpuMs, 40);
    assert.equal(table.entries[0].samples.length, 1);
  });

  it('ends a Python thread the sampler no longer lists, until its own end, which is closer, arrives', () => {
    const table = new ThreadTable(CAPS);
    table.started(7, 'chef', 10);
    table.observe(100, [read(1, '1@1'), read(7, '7@1', 30)]);
    table.observe(200, [read(1, '1@1')]);
    assert.deepEqual(facts(table.entries), [[7, 'chef', true, 10, 200], [1, 'python3', false, 100, null]]);
    table.ended(7, 'chef', 10, 150, 45);
    table.closeWithProcess(400);
    assert.deepEqual(facts(table.entries), [[7, 'chef', true, 10, 150], [1, 'python3', false, 100, 400]]);
    assert.equal(table.entries[0].cpuMs, 45);
  });

  it('makes a new thread of a tid the tracer starts again, or the sampler reads with another start time', () => {
    const table = new ThreadTable(CAPS);
    table.started(7, 'first', 10);
    table.ended(7, 'first', 10, 20, 1);
    table.started(7, 'second', 30);
    table.observe(100, [read(8, '8@1')]);
    table.observe(200, [read(8, '8@5')]);
    assert.deepEqual(facts(table.entries), [[7, 'first', true, 10, 20], [7, 'second', true, 30, null], [8, 'python3', false, 100, 200], [8, 'python3', false, 200, null]]);
  });

  it('records an end whose start never arrived, and names a thread the sampler read first as the tracer does', () => {
    const table = new ThreadTable(CAPS);
    table.observe(100, [read(9, '9@1')]);
    table.started(9, 'chef', 95);
    table.ended(5, 'lost', 50, 150, 2);
    assert.deepEqual(facts(table.entries), [[9, 'chef', true, 95, null], [5, 'lost', true, 50, 150]]);
  });

  it('ends no thread on an empty reading (the process has gone), and ends the rest with their process', () => {
    const table = new ThreadTable(CAPS);
    table.observe(100, [read(1, '1@1'), read(2, '2@1')]);
    table.observe(200, []);
    assert.deepEqual(table.entries.map((t) => t.endMs), [null, null]);
    table.observe(300, [read(1, '1@1')]);
    table.closeWithProcess(350);
    table.closeWithProcess(340); // a closer end arrives: those that ended with it follow
    assert.deepEqual(table.entries.map((t) => t.endMs), [340, 300]);
  });

  it('stops at its caps and says so', () => {
    const table = new ThreadTable({ threadsPerProcess: 2, samplesPerThread: 3, fastSamplesPerThread: 3 });
    for (let t = 1; t <= 5; t++) table.observe(t * 100, [read(1, '1@1'), read(2, '2@1'), read(3, '3@1')]);
    assert.equal(table.entries.length, 2);
    assert.deepEqual(table.entries.map((t) => t.samples.length), [3, 3]);
    assert.equal(table.truncated, true);
  });

  it("keeps a tick's time spent, to the µs, on its samples", () => {
    const table = new ThreadTable(CAPS);
    table.observe(100, [{ ...read(1, '1@1'), ranMs: 12.3456789, coreWaitMs: 0.0004, waitingMs: 87.6539211 }]);
    assert.deepEqual(table.entries[0].samples, [{ t: 100, cpu: 10, state: 'running', ranMs: 12.346, coreWaitMs: 0, waitingMs: 87.654 }]);
  });

  it('takes the samples of threads read fast from the fast reader, with their wait for the GIL, and none from the ticks meanwhile', () => {
    const table = new ThreadTable(CAPS);
    table.started(7, 'chef', 10);
    table.observe(100, [read(1, '1@1'), read(7, '7@1')]);
    table.addFastSamples([readFast(1, 105, 1), readFast(7, 105, 4), readFast(8, 105, 5)]);
    table.observe(200, [read(1, '1@1'), read(7, '7@1'), read(8, '8@1')], false);
    table.addFastSamples([readFast(1, 205, 2), readFast(7, 205, 3), readFast(8, 205, 5)]);
    const [chef, main, late] = table.entries;
    assert.deepEqual(chef.samples, [
      { t: 100, cpu: 10, state: 'running', ranMs: 10, coreWaitMs: 0, waitingMs: 90 },
      { t: 105, cpu: 80, state: 'running', ranMs: 4, coreWaitMs: 0, gilWaitMs: 1, waitingMs: 0 },
      { t: 205, cpu: 60, state: 'running', ranMs: 3, coreWaitMs: 0, gilWaitMs: 2, waitingMs: 0 },
    ]);
    assert.deepEqual(main.samples.map((s) => s.state), ['running', 'waiting-for-gil', 'waiting-for-gil']);
    // Unknown at 105 (neither the tracer nor a tick had told of it): sampled once a tick made it known.
    assert.deepEqual(late.samples.map((s) => s.t), [205]);
  });

  it('caps fast samples apart from the ticks\' ones', () => {
    const table = new ThreadTable({ threadsPerProcess: 10, samplesPerThread: 2, fastSamplesPerThread: 3 });
    table.observe(100, [read(1, '1@1')]);
    for (let t = 105; t < 150; t += 5) table.addFastSamples([readFast(1, t, 5)]);
    assert.equal(table.truncated, true);
    table.observe(200, [read(1, '1@1')]);
    table.observe(300, [read(1, '1@1')]);
    assert.deepEqual(table.entries[0].samples.map((s) => s.t), [100, 105, 110, 115, 200]);
  });
});

describe('classifyBySchedstat', () => {
  it('gives the state that took the largest part of the interval', () => {
    assert.equal(classifyBySchedstat({ intervalNs: 100, ranNs: 60, runDelayNs: 30 }), 'running');
    assert.equal(classifyBySchedstat({ intervalNs: 100, ranNs: 30, runDelayNs: 40 }), 'waiting-for-core');
    assert.equal(classifyBySchedstat({ intervalNs: 100, ranNs: 30, runDelayNs: 20 }), 'waiting');
    assert.equal(classifyBySchedstat({ intervalNs: 100, ranNs: 0, runDelayNs: 0 }), 'waiting');
  });
});
