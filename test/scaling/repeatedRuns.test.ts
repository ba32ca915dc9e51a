// How often the lab runs each step, with the runs' wall times and costs given: rounds of every
// step, extra runs only for a step whose runs disagree, and no more extra time than the
// first rounds took.

import { strict as assert } from 'node:assert';
import type { ScalingStep } from '../../src/extension/engine/scaling/plan';
import { measureSteps } from '../../src/extension/engine/scaling/repeatedRuns';
import { emptyRecord } from '../helpers/records';

const STEPS: ScalingStep[] = [
  { mode: 'sequential', workers: 1 },
  { mode: 'threads', workers: 2 },
];

/**
 * Measures the steps with wall times taken in turn from `timesMs[index]` (over again from
 * its start when used up), each run costing `costMs` on a made-up clock; returns the order
 * of the runs.
 */
async function measure(timesMs: number[][], costMs = 100): Promise<{ order: string[]; runsMs: number[][] }> {
  let clock = 0;
  const order: string[] = [];
  const measured = await measureSteps(
    STEPS,
    async (step, index, runNumber) => {
      order.push(`${step.mode}#${runNumber}`);
      clock += costMs;
      const wallMs = timesMs[index][(runNumber - 1) % timesMs[index].length];
      return { report: { ok: true, mode: step.mode, workers: step.workers, items: 2, wallMs, mapStartMs: 0 }, record: emptyRecord() };
    },
    () => clock,
  );
  return { order, runsMs: measured.map(({ runs }) => runs.map(({ report }) => report.wallMs)) };
}

describe('repeated runs of the scaling lab', () => {
  it('three rounds of every step, in plan order, when the runs agree', async () => {
    const { order, runsMs } = await measure([[100, 101, 102], [150, 149, 151]]);
    assert.deepEqual(order, ['sequential#1', 'threads#1', 'sequential#2', 'threads#2', 'sequential#3', 'threads#3']);
    assert.deepEqual(runsMs, [[100, 101, 102], [150, 149, 151]]);
  });

  it('more runs for a step whose runs disagree, until the spread is small (from 6 runs the extremes drop out)', async () => {
    const { order, runsMs } = await measure([[100, 101, 102], [150, 200, 152, 151, 153, 149, 152]]);
    assert.deepEqual(order.slice(6), ['threads#4', 'threads#5', 'threads#6'], 'only the noisy step runs again');
    assert.deepEqual(runsMs[1], [150, 200, 152, 151, 153, 149]);
  });

  it('the extra runs take at most as long as the first rounds did', async () => {
    // Every step disagrees forever: 6 first runs, then extra runs while they fit in 6 runs' time.
    const { order } = await measure([[100, 150], [100, 150]]);
    assert.equal(order.length, 12, order.join(', '));
    assert.deepEqual(order.slice(6), ['sequential#4', 'threads#4', 'sequential#5', 'threads#5', 'sequential#6', 'threads#6']);
  });

  it('never more than 7 runs of a step', async () => {
    const { runsMs } = await measure([[100, 101, 102], [100, 150]], 1);
    assert.equal(runsMs[1].length, 7);
  });
});
