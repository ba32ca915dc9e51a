// Lesson 1: the same CPU-bound job keeps about one core busy on threads, and fills the
// cores on processes.

import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import type { RunRecord } from '../../src/shared/runRecord';
import { quantile, runSample, SAMPLE_INTERVAL_MS, withRole } from './lessonSupport';

/** CPU of all the run's processes added up, per sampler tick, in % of one core. */
function summedCpuByTick(record: RunRecord): Map<number, number> {
  const byTick = new Map<number, number>();
  for (const process of record.processes) {
    for (const sample of process.samples) byTick.set(sample.t, (byTick.get(sample.t) ?? 0) + sample.cpu);
  }
  return byTick;
}

/**
 * The upper quartile of the summed CPU over the ticks whose whole interval lies in
 * [fromMs, toMs]: how many cores the phase kept busy while in full swing. Whole ticks
 * only, because a tick straddling a phase boundary mixes two phases; the upper quartile,
 * because the pieces do not all end at the same moment (the last one runs alone) and
 * other programs on the machine can steal a few ticks.
 */
function busyCores(record: RunRecord, fromMs: number, toMs: number): { cores: number; ticks: number; othersCores: number } {
  const inPhase = [...summedCpuByTick(record)].filter(([t]) => t - SAMPLE_INTERVAL_MS >= fromMs && t <= toMs);
  assert.ok(inPhase.length >= 3, `at least 3 whole ticks between ${fromMs.toFixed(0)} and ${toMs.toFixed(0)} ms (got ${inPhase.length})`);
  const ours = inPhase.map(([, cpu]) => cpu);
  return { cores: quantile(ours, 0.75) / 100, ticks: inPhase.length, othersCores: othersCpu(record, inPhase) / 100 };
}

/** Mean CPU that other programs took during the given ticks: busy cores minus ours. */
function othersCpu(record: RunRecord, ticks: Array<[number, number]>): number {
  const busyByTick = new Map(record.coreSamples.map((sample) => [sample.t, sample.usage.reduce((sum, usage) => sum + usage, 0)]));
  const others = ticks.filter(([t]) => busyByTick.has(t)).map(([t, ours]) => Math.max(0, (busyByTick.get(t) ?? 0) - ours));
  return others.length ? others.reduce((sum, cpu) => sum + cpu, 0) / others.length : 0;
}

describe('lesson 1: many kitchens', function () {
  this.timeout(60_000);

  it('threads stay at about one core, processes fill two', async function () {
    if (os.cpus().length < 2) this.skip();
    // Another program busy on the machine takes cores away from the processes phase; a
    // second try is then a fairer measurement than a lower bar.
    this.retries(2);
    const record = await runSample('01-many-kitchens/threads_vs_processes.py');
    const children = withRole(record, 'process');
    assert.ok(children.length >= 2, 'the processes phase started its processes');
    const processesFrom = Math.min(...children.map((p) => p.startMs));
    const processesTo = Math.max(...children.map((p) => p.endMs ?? record.durationMs));

    // The threads phase is everything before the first child process.
    const threads = busyCores(record, 0, processesFrom);
    const processes = busyCores(record, processesFrom, processesTo);
    assert.ok(threads.cores <= 1.2, `threads used ${threads.cores.toFixed(2)} cores (upper quartile of ${threads.ticks} ticks), at most 1.2`);
    assert.ok(
      processes.cores > 1.5,
      `processes used ${processes.cores.toFixed(2)} cores (upper quartile of ${processes.ticks} ticks), more than 1.5; ` +
        `other programs kept ${processes.othersCores.toFixed(2)} cores busy meanwhile`,
    );
    assert.match(record.stdout, /processes were [\d.]+x faster/);
  });
});
