// Lesson 6: starting a process costs time, much more with spawn than with fork; and work
// that is too small loses to that cost.

import { strict as assert } from 'node:assert';
import type { ProcessEntry, RunRecord } from '../../src/shared/runRecord';
import { median, runSample } from './lessonSupport';

/** The kitchens the sample started with one method ("fork-1", "fork-2", …), in start order. */
function kitchensOf(record: RunRecord, method: string): ProcessEntry[] {
  const kitchens = record.processes.filter((p) => p.role === 'process' && p.name.startsWith(`${method}-`)).sort((a, b) => a.startMs - b.startMs);
  assert.ok(kitchens.length >= 3, `the ${method} kitchens are in the record: ${JSON.stringify(record.processes.map((p) => p.name))}`);
  return kitchens;
}

/**
 * The sample starts each kitchen right after the previous one ended, so the time from one
 * kitchen's end to the next one's end is the whole cost of one kitchen as the timeline
 * shows it: starting it, running its (empty) work and seeing it exit.
 */
function medianCycleMs(kitchens: ProcessEntry[]): number {
  return median(kitchens.slice(1).map((kitchen, n) => (kitchen.endMs ?? NaN) - (kitchens[n].endMs ?? NaN)));
}

describe('lesson 6: building a kitchen is expensive', function () {
  this.timeout(60_000);

  it('start-up cost: a spawn kitchen takes several times longer and more CPU than a fork kitchen', async function () {
    if (process.platform === 'win32') this.skip(); // no fork on Windows
    const record = await runSample('06-building-a-kitchen/startup_cost.py');
    assert.match(record.stdout, /^fork .* per process$/m);
    assert.match(record.stdout, /^spawn .* per process$/m);
    const fork = kitchensOf(record, 'fork');
    const spawn = kitchensOf(record, 'spawn');
    const forkCycle = medianCycleMs(fork);
    const spawnCycle = medianCycleMs(spawn);
    assert.ok(spawnCycle > 3 * forkCycle, `one spawn kitchen took ${spawnCycle.toFixed(1)} ms, one fork kitchen ${forkCycle.toFixed(1)} ms`);
    // A fork child starts as a copy of a warm interpreter; a spawn child builds its own.
    const forkCpu = median(fork.map((p) => p.cpuMs ?? NaN));
    const spawnCpu = median(spawn.map((p) => p.cpuMs ?? NaN));
    assert.ok(spawnCpu > 3 * forkCpu, `a spawn kitchen used ${spawnCpu.toFixed(1)} ms of CPU, a fork kitchen ${forkCpu.toFixed(1)} ms`);
  });

  it('too small: the sum alone beats the pool', async () => {
    const record = await runSample('06-building-a-kitchen/too_small.py');
    assert.match(record.stdout, /^alone was faster$/m);
  });
});
