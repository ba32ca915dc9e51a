// The scaling lab's plan on each platform: on Windows no Pool may have more than 61 workers
// (it would hang), and the learner is told what that took out of the plan.

import { strict as assert } from 'node:assert';
import { planSteps, poolLimitSentence, stepLabel } from '../../src/extension/engine/scaling/plan';

function labels(maxWorkers: number, platform: NodeJS.Platform): string {
  return planSteps(maxWorkers, platform).map(stepLabel).join(', ');
}

function pools(maxWorkers: number, platform: NodeJS.Platform): number[] {
  return planSteps(maxWorkers, platform).filter((step) => step.mode === 'processes').map((step) => step.workers);
}

const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('the scaling lab\'s plan', () => {
  it('runs every pool up to the cores, then twice as many, where a Pool has no limit', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      assert.equal(labels(4, platform), 'no pool, 4 threads, 1 process, 2 processes, 3 processes, 4 processes, 8 processes', platform);
      assert.equal(poolLimitSentence(4, platform), null, platform);
    }
    assert.deepEqual(pools(48, 'linux'), [...upTo(48), 96]);
    assert.deepEqual(pools(48, 'darwin'), [...upTo(48), 96]);
    assert.equal(poolLimitSentence(48, 'darwin'), null);
  });

  it('oversubscribes with 61 workers on Windows when twice the cores would be more', () => {
    assert.deepEqual(pools(48, 'win32'), [...upTo(48), 61]);
    assert.deepEqual(pools(30, 'win32'), [...upTo(30), 60], 'twice 30 is within the limit');
    assert.equal(
      poolLimitSentence(48, 'win32'),
      'A process pool on Windows can have at most 61 workers (a bigger one hangs: Windows waits for at most 63 processes at once, and the pool uses two of them), so the oversubscribed pool had 61 workers instead of 96.',
    );
    assert.equal(poolLimitSentence(30, 'win32'), null);
  });

  it('stops at 61 workers on Windows, without an oversubscribed pool, when the cores reach the limit', () => {
    assert.deepEqual(pools(61, 'win32'), upTo(61));
    assert.match(poolLimitSentence(61, 'win32') ?? '', /so no pool was bigger than 61 workers, and none was oversubscribed\.$/);
    const steps = planSteps(64, 'win32');
    assert.deepEqual(steps.filter((step) => step.mode === 'processes').map((step) => step.workers), upTo(61));
    assert.deepEqual(steps.find((step) => step.mode === 'threads'), { mode: 'threads', workers: 64 }, 'threads wait on no process handles');
    assert.match(poolLimitSentence(64, 'win32') ?? '', /so the largest pool here had 61 workers instead of 64, and none was oversubscribed\.$/);
  });
});
