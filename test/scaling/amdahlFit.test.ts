// The Amdahl fit on made-up timings: it recovers the serial fraction it was built from,
// caps n at the cores, and clamps what the law cannot mean.

import { strict as assert } from 'node:assert';
import { fitAmdahl } from '../../src/extension/engine/scaling/amdahlFit';

const amdahl = (t1: number, s: number, n: number): number => t1 * (s + (1 - s) / n);

describe('Amdahl fit', () => {
  it('recovers the serial fraction of exact timings, with r² = 1', () => {
    const runs = [1, 2, 3, 4].map((workers) => ({ workers, wallMs: amdahl(1000, 0.2, workers) }));
    const fit = fitAmdahl(runs, 4);
    assert.ok(fit);
    assert.ok(Math.abs(fit.serialFraction - 0.2) < 1e-9);
    assert.ok(Math.abs(fit.maxSpeedup - 5) < 1e-6);
    assert.ok(Math.abs(fit.r2 - 1) < 1e-9);
  });

  it('counts workers beyond the cores as the cores', () => {
    const runs = [
      { workers: 1, wallMs: 1000 },
      { workers: 2, wallMs: 500 },
      { workers: 4, wallMs: 500 },
    ];
    const fit = fitAmdahl(runs, 2);
    assert.ok(fit);
    assert.ok(fit.serialFraction < 1e-9, `serial fraction ${fit.serialFraction}`);
    assert.equal(fit.maxSpeedup, 1000, 'a serial fraction of zero is reported against the smallest measurable one');
  });

  it('clamps to 1 when more workers took longer', () => {
    const fit = fitAmdahl(
      [
        { workers: 1, wallMs: 100 },
        { workers: 2, wallMs: 150 },
      ],
      2,
    );
    assert.equal(fit?.serialFraction, 1);
  });

  it('gives no fit without two different worker counts', () => {
    assert.equal(fitAmdahl([{ workers: 1, wallMs: 100 }], 2), null);
    assert.equal(fitAmdahl([{ workers: 2, wallMs: 100 }, { workers: 4, wallMs: 90 }], 2), null);
  });
});
