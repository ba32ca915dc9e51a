// The rule the scaling lab's verdicts follow, on given run times: the median and spread of a
// mode's runs, when two modes differ at all (spreads apart, medians 10 % apart), and the
// sentences about threads that follow from it, with the GIL and without.

import { strict as assert } from 'node:assert';
import { compareRuns, hasEnoughRuns, median, medianRunIndex, spreadOf } from '../../src/shared/runSpread';
import type { ScalingMode, ScalingModeName } from '../../src/shared/scaling';
import { modeFigures } from '../../src/extension/engine/scaling/modeFigures';
import { composeVerdict, type VerdictInput } from '../../src/extension/engine/scaling/verdict';

describe('the spread of repeated runs', () => {
  it('median and spread: the fastest to the slowest, from 6 runs the second fastest to the second slowest', () => {
    assert.equal(median([160, 150, 155]), 155);
    assert.equal(median([150, 160, 170, 400]), 165);
    assert.deepEqual(spreadOf([160, 150, 155]), { low: 150, high: 160 });
    assert.deepEqual(spreadOf([150, 160, 170, 180, 400]), { low: 150, high: 400 }, 'up to 5 runs every run counts');
    assert.deepEqual(spreadOf([150, 160, 170, 180, 190, 400]), { low: 160, high: 190 }, 'from 6 one disturbed run no longer widens it');
    assert.equal(medianRunIndex([400, 150, 160]), 2, 'the run nearest the median stands for the mode');
  });

  it('repeats until the spread is within 10 % of the median (or 1 ms), at least 3 and at most 7 runs', () => {
    assert.equal(hasEnoughRuns([100, 101]), false, 'fewer than 3');
    assert.equal(hasEnoughRuns([100, 104, 109]), true, '9 % of the median');
    assert.equal(hasEnoughRuns([100, 104, 112]), false, '12 % of the median');
    assert.equal(hasEnoughRuns([100, 104, 112, 103, 105]), false, 'more runs cannot narrow the fastest-to-slowest range');
    assert.equal(hasEnoughRuns([100, 104, 112, 103, 105, 102]), true, 'from 6 runs the outliers drop out: 102–105');
    assert.equal(hasEnoughRuns([100, 150, 200, 125, 175, 110, 190]), true, 'never more than 7');
    assert.equal(hasEnoughRuns([0.002, 0.004, 0.9]), true, 'a spread under 1 ms is small, whatever the median');
  });
});

describe('when two modes differ (compareRuns)', () => {
  it('spreads that overlap: no measurable difference, whatever the medians say', () => {
    // The case: threads 1.3× faster by the medians, but one thread run was as slow as a run alone.
    assert.deepEqual(compareRuns([120, 123, 160], [150, 160, 165]), { difference: 'none', why: 'overlap' });
  });

  it('spreads apart and medians 10 % apart or more: faster or slower', () => {
    assert.deepEqual(compareRuns([100, 104, 108], [150, 155, 170]), { difference: 'faster', why: 'apart' });
    assert.deepEqual(compareRuns([190, 200, 215], [150, 155, 170]), { difference: 'slower', why: 'apart' });
  });

  it('spreads apart but medians within 10 %: no measurable difference', () => {
    assert.deepEqual(compareRuns([100, 101, 102], [105, 106, 107]), { difference: 'none', why: 'close' });
  });

  it('one run on either side: its spread is unknown, so no difference is claimed', () => {
    assert.deepEqual(compareRuns([50], [150, 155, 160]), { difference: 'none', why: 'too-few' });
    assert.deepEqual(compareRuns([50, 51, 52], [150]), { difference: 'none', why: 'too-few' });
  });
});

const SEQUENTIAL_RUNS = [150, 160, 165];

function mode(name: ScalingModeName, workers: number, runsMs: number[], sequentialRunsMs = SEQUENTIAL_RUNS, cpuCores?: number): ScalingMode {
  return { ...modeFigures({ mode: name, workers }, runsMs, sequentialRunsMs), resultsMatch: true, ...(cpuCores === undefined ? {} : { cpuCores }) };
}

/** The cores' worth of CPU the sequential and the thread runs kept busy. */
interface CpuCores {
  sequential?: number;
  threads?: number;
}

/** The verdict of a lab with these thread runs, processes that clearly scaled, and this GIL and compute share. */
function verdictWith(threadRunsMs: number[], options: Partial<VerdictInput> = {}, sequentialRunsMs = SEQUENTIAL_RUNS, cpuCores: CpuCores = {}): string {
  return composeVerdict({
    modes: [
      mode('sequential', 1, sequentialRunsMs, sequentialRunsMs, cpuCores.sequential),
      mode('threads', 2, threadRunsMs, sequentialRunsMs, cpuCores.threads),
      mode('processes', 1, [170, 172, 175], sequentialRunsMs),
      mode('processes', 2, [88, 90, 93], sequentialRunsMs),
    ],
    breakdown: [],
    fit: null,
    prediction: {},
    maxWorkers: 2,
    cores: 2,
    items: 2,
    resultsEqual: true,
    gilEnabled: true,
    computeShare: 0.97,
    ...options,
  });
}

describe('the threads verdict on given run times', () => {
  it('overlapping runs of a computing function: no measurable difference, and the GIL is why (one stove)', () => {
    const verdict = verdictWith([120, 123, 160]);
    assert.doesNotMatch(verdict, /Threads (ran it|helped)[^.]*faster/, verdict);
    assert.match(verdict, /Threads made no measurable difference: 120–160 ms in 3 runs, alone 150–165 ms in 3 runs, ranges that overlap\./);
    assert.match(verdict, /this Python has a GIL, one lock a thread must hold to run Python code: the 2 threads took turns on it, like 2 chefs sharing one stove, so only one of them ran Python code at a time\./);
  });

  it('runs apart: slower, with the figures and the GIL', () => {
    const verdict = verdictWith([190, 200, 215]);
    assert.match(verdict, /Threads ran it 1\.3× slower than alone \(190–215 ms in 3 runs, alone 150–165 ms in 3 runs\)\. The function computes in Python/);
  });

  it('runs apart, of a function that waits: faster, and why', () => {
    const verdict = verdictWith([80, 82, 84], { computeShare: 0.02 });
    assert.match(verdict, /Threads helped too, 2\.0× faster than alone \(80\.0–84\.0 ms in 3 runs, alone 150–165 ms in 3 runs\): the function spends its time waiting \(sleep or I\/O\)/);
    assert.doesNotMatch(verdict, /stove/);
  });

  it('runs apart and quicker, but never more than one core busy: not called a speed-up, and the GIL is why', () => {
    // On a busy machine, GIL-bound threads get more of a shared core than one thread alone (measured here: 1.2× quicker).
    const verdict = verdictWith([120, 124, 128], {}, SEQUENTIAL_RUNS, { sequential: 0.37, threads: 0.48 });
    assert.doesNotMatch(verdict, /Threads (helped|ran it [\d.]+× faster)/, verdict);
    assert.match(
      verdict,
      /Threads did not speed it up by running at once: their runs were quicker than alone \(120–128 ms in 3 runs, alone 150–165 ms in 3 runs\), but the 2 threads together kept 0\.48 of a core busy on average, no more than one thread at a time can, against 0\.37 of a core for the run alone: they got more of a busy core than the run alone did, not more cores\. The function computes in Python/,
    );
    assert.match(verdict, /sharing one stove/);
  });

  it('runs apart and quicker with more than one core busy: a speed-up (the work let go of the GIL)', () => {
    const verdict = verdictWith([80, 82, 84], {}, SEQUENTIAL_RUNS, { sequential: 0.98, threads: 1.9 });
    assert.match(verdict, /Threads helped too, 2\.0× faster than alone \(80\.0–84\.0 ms in 3 runs, alone 150–165 ms in 3 runs\)\./);
    assert.doesNotMatch(verdict, /stove/);
  });

  it('one run each: too few to tell, so no speed-up is claimed', () => {
    const verdict = verdictWith([80], {}, [160]);
    assert.match(verdict, /Threads made no measurable difference: one run on a side is too few to tell a difference from noise \(80\.0 ms, alone 160 ms\)\./);
    assert.match(verdict, /With 2 workers it took no measurably different time from running alone: one run on a side is too few/);
  });

  it('no GIL: says so, and does not give the GIL as the reason', () => {
    const same = verdictWith([150, 158, 170], { gilEnabled: false });
    assert.match(same, /Threads made no measurable difference: .*This Python has no GIL, so its threads can run Python code on several cores at once\. The GIL is not what kept them from helping here\./);
    assert.doesNotMatch(same, /stove|took turns/);
    const faster = verdictWith([80, 82, 84], { gilEnabled: false });
    assert.match(faster, /Threads helped too, 2\.0× faster than alone \([^)]*\)\. This Python has no GIL, so its threads can run Python code on several cores at once\./);
  });

  it('a function whose compute share is unknown: no reason is invented', () => {
    const verdict = verdictWith([150, 158, 170], { computeShare: null });
    assert.match(verdict, /Threads made no measurable difference: [^.]*ranges that overlap\.( |$)/);
    assert.doesNotMatch(verdict, /GIL/);
  });
});
