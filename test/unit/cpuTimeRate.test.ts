// CPU % from a CPU-time counter over the host's clock, fine and coarse (pure logic).

import { strict as assert } from 'node:assert';
import { CpuTimeRate } from '../../src/extension/engine/sampling/cpuTimeRate';

/** Feeds one process's counter readings, one per tick of `intervalMs`, and returns the figures. */
function figuresOf(rate: CpuTimeRate, cpuTimesMs: number[], intervalMs = 100): Array<number | null> {
  return cpuTimesMs.map((cpuTimeMs, i) => rate.next([{ pid: 7, key: '7@a', cpuTimeMs }], i * intervalMs).get(7) ?? null);
}

/** What a counter of `stepMs` steps shows of a process using `share` of a core since 0 ms. */
function coarseCounter(share: number, stepMs: number, ticks: number, intervalMs = 100): number[] {
  return Array.from({ length: ticks }, (_, i) => Math.floor((i * intervalMs * share) / stepMs) * stepMs);
}

describe('CPU % from a CPU-time counter', function () {
  it('gives no figure on the first reading of a process, nor of a reused pid', function () {
    const rate = new CpuTimeRate(10);
    assert.equal(rate.next([{ pid: 7, key: '7@a', cpuTimeMs: 500 }], 0).get(7), null);
    assert.equal(rate.next([{ pid: 7, key: '7@a', cpuTimeMs: 550 }], 100).get(7), 50);
    assert.equal(rate.next([{ pid: 7, key: '7@b', cpuTimeMs: 20 }], 200).get(7), null, 'another process on that pid');
  });

  it('with a fine counter, gives the growth over the interval between two reads', function () {
    const figures = figuresOf(new CpuTimeRate(10), [0, 100, 180, 180], 100);
    assert.deepEqual(figures, [null, 100, 80, 0]);
  });

  it('with a whole-second counter, shows a busy process near 100 % between its steps, never 0 or 1000', function () {
    const figures = figuresOf(new CpuTimeRate(1000), coarseCounter(0.97, 1000, 60));
    const known = figures.filter((figure): figure is number => figure !== null);
    // Two steps (about 2 s) before the first figure; then a figure on every tick.
    assert.ok(figures.slice(0, 20).includes(null) && known.length >= 35, `figures: ${figures.join(' ')}`);
    assert.ok(known.every((figure) => figure >= 85 && figure <= 108), `figures: ${known.map(Math.round).join(' ')}`);
  });

  it('with a whole-second counter, brings a process that went idle down, bounded by one step since the last', function () {
    const busyThenIdle = [...coarseCounter(1, 1000, 31), ...Array<number>(30).fill(3000)];
    const figures = figuresOf(new CpuTimeRate(1000), busyThenIdle);
    // The last step was seen at 3000 ms (placed at 2950): 2 s later at most one more second was used.
    assert.ok(figures[50]! <= 1000 / (5000 - 2950) * 100 + 1e-9, `at 5 s: ${figures[50]}`);
    assert.ok(figures[60]! < 35, `at 6 s: ${figures[60]}`);
  });

  it('with a whole-second counter, gives a process at half a core about 50 %', function () {
    const figures = figuresOf(new CpuTimeRate(1000), coarseCounter(0.5, 1000, 80)).slice(50);
    assert.ok(figures.every((figure) => figure !== null && figure >= 45 && figure <= 55), `figures: ${figures.join(' ')}`);
  });

  it('forgets a process that was not read', function () {
    const rate = new CpuTimeRate(10);
    rate.next([{ pid: 7, key: '7@a', cpuTimeMs: 0 }], 0);
    rate.next([], 100);
    assert.equal(rate.next([{ pid: 7, key: '7@a', cpuTimeMs: 100 }], 200).get(7), null);
  });
});
