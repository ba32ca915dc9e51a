// The run's share of each core, placed from each thread's last core and bounded by each
// core's busy %, and the figures the views derive from it.

import { strict as assert } from 'node:assert';
import { placeRunOnCores } from '../../src/extension/engine/sampling/coreShare';
import { coreMeans, coreShare, processCpu } from '../../src/shared/cpuFigures';
import type { ProcessEntry } from '../../src/shared/runRecord';
import { emptyRecord } from '../helpers/records';

function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `${actual} against ${expected}`);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-9, `${actual} against ${expected}`));
}

describe('placeRunOnCores', () => {
  it('keeps the run where its threads ran when the cores were that busy', () => {
    close(placeRunOnCores([60, 20], [90, 30]), [60, 20]);
  });

  it('moves what a core could not have held to the cores busy with something else', () => {
    // A thread that moved from core 1 to core 0 during the interval is all put on core 0.
    close(placeRunOnCores([100, 0], [50, 50]), [50, 50]);
    // The 40 % core 0 could not hold go to cores 1 and 2 in proportion to their busy time.
    close(placeRunOnCores([100, 0, 0], [60, 100, 20]), [60, (100 / 120) * 40, (20 / 120) * 40]);
  });

  it('keeps the exact total where the busy counters fell short (their clock-tick rounding)', () => {
    close(placeRunOnCores([100, 95], [90, 100]), [95, 100]);
    close(placeRunOnCores([100, 100], [90, 95]), [100, 100]);
  });

  it('counts a missing CPU as idle', () => {
    close(placeRunOnCores([], [40, 40]), [0, 0]);
    const holey: number[] = [];
    holey[0] = 10;
    holey[2] = 5;
    close(placeRunOnCores(holey, [20, 0, 10]), [10, 0, 5]);
  });
});

describe('cpu figures', () => {
  it("splits a sample into the run's share and other programs'", () => {
    assert.deepEqual(coreShare({ t: 1, usage: [90, 40], run: [60, 40], runTotal: 100 }), { run: [60, 40], others: [30, 0], runTotal: 100, othersTotal: 30 });
    assert.deepEqual(coreShare({ t: 1, usage: [90, 40], runTotal: 100 }), { run: null, others: null, runTotal: 100, othersTotal: 30 });
    assert.deepEqual(coreShare({ t: 1, usage: [90, 40] }), { run: null, others: null, runTotal: null, othersTotal: null });
  });

  it('averages the shares over the run', () => {
    const means = coreMeans(emptyRecord({ coreSamples: [{ t: 1, usage: [100, 50], run: [100, 0], runTotal: 100 }, { t: 2, usage: [50, 50], run: [50, 50], runTotal: 100 }] }));
    assert.deepEqual(means, { busy: [75, 50], run: [75, 25], others: [0, 25], runCores: 1, othersCores: 0.25 });
  });

  it("gives a process's mean CPU over its life from its CPU time, else from its samples", () => {
    const base: ProcessEntry = { pid: 1, ppid: 0, name: 'p', role: 'process', startMs: 100, endMs: 300, exitCode: 0, cpuMs: null, traced: true, samples: [] };
    assert.deepEqual(processCpu(base, 1000), { cpuMs: null, meanCpu: null, maxCpu: null, runQueueMs: null });
    assert.equal(processCpu({ ...base, cpuMs: 50 }, 1000).meanCpu, 25);
    const sampled = { ...base, samples: [{ t: 200, cpu: 40, rssBytes: 1, core: 0 }, { t: 300, cpu: 80, rssBytes: 1, core: 0, runQueueMs: 5 }] };
    assert.deepEqual(processCpu(sampled, 1000), { cpuMs: null, meanCpu: 60, maxCpu: 80, runQueueMs: 5 });
    // Still running: its life so far.
    assert.equal(processCpu({ ...base, endMs: null, cpuMs: 90 }, 400).meanCpu, 30);
  });
});
