// Where a process run's missing speedup went, measured from a made-up record, and the
// verdict composed from made-up measurements: each sentence appears when its numbers say so.

import { strict as assert } from 'node:assert';
import type { ProcessEntry, TaskRecord } from '../../src/shared/runRecord';
import type { ScalingMode } from '../../src/shared/scaling';
import { measureBreakdown } from '../../src/extension/engine/scaling/breakdown';
import { modeFigures } from '../../src/extension/engine/scaling/modeFigures';
import { composeVerdict } from '../../src/extension/engine/scaling/verdict';
import { emptyRecord } from '../helpers/records';

function worker(pid: number, startMs: number): ProcessEntry {
  return { pid, ppid: 1, name: `ForkPoolWorker-${pid}`, role: 'pool-worker', startMs, endMs: 900, exitCode: 0, cpuMs: null, traced: true, samples: [] };
}

function task(pid: number, startMs: number, endMs: number): TaskRecord {
  return { pool: '1:0', pid, fn: 'crunch', items: 2, startMs, endMs, ok: true, site: null };
}

const SEQUENTIAL_RUNS = [990, 1000, 1010];

/** A mode whose runs took 1000 ms / speedup each, ±1 %, against sequential runs of 990–1010 ms. */
function mode(entry: Pick<ScalingMode, 'mode' | 'workers' | 'speedup'>): ScalingMode {
  const ms = 1000 / entry.speedup;
  return modeWithRuns(entry, entry.mode === 'sequential' ? SEQUENTIAL_RUNS : [ms * 0.99, ms, ms * 1.01]);
}

function modeWithRuns(step: Pick<ScalingMode, 'mode' | 'workers'>, runsMs: number[], sequentialRunsMs = SEQUENTIAL_RUNS): ScalingMode {
  return { ...modeFigures(step, runsMs, sequentialRunsMs), resultsMatch: true };
}

describe('scaling breakdown and verdict', () => {
  it('measures start-up, pickled bytes, sending, the learner’s lock waits, the idle tail and slower work', () => {
    const record = emptyRecord({
      processes: [worker(11, 30), worker(12, 35)],
      tasks: [task(11, 40, 300), task(11, 300, 600), task(12, 60, 400), task(12, 400, 500)],
      channels: [
        { id: '1:0', kind: 'queue', api: 'SimpleQueue', internal: true, site: null },
        { id: '1:9', kind: 'queue', api: 'Queue', internal: false, site: null },
      ],
      ipcEvents: [
        { channel: '1:0', kind: 'queue', op: 'put', pid: 1, t: 20, waitMs: 2, bytes: 80, site: null },
        { channel: '1:0', kind: 'queue', op: 'get', pid: 11, t: 40, waitMs: 15, bytes: 80, site: null },
        { channel: '1:9', kind: 'queue', op: 'put', pid: 11, t: 50, waitMs: 7, bytes: 1000, site: null },
      ],
      locks: [
        { id: 'mine', kind: 'Lock', api: 'Lock', internal: false, site: null },
        { id: 'pool', kind: 'Lock', api: 'Lock', internal: true, site: null },
      ],
      lockEvents: [
        { lock: 'mine', pid: 11, requestMs: 100, acquiredMs: 104, releasedMs: 105, site: null },
        { lock: 'pool', pid: 12, requestMs: 100, acquiredMs: 150, releasedMs: 151, site: null },
      ],
    });
    const breakdown = measureBreakdown({ workers: 2, poolCreatedMs: 10, record }, 800);
    assert.deepEqual(breakdown, {
      workers: 2,
      startupMs: 50, // the last worker's first task, at 60, from the pool's creation at 10
      pickledBytes: 80, // the pool's channel, counted at the put only
      transferMs: 2,
      lockWaitMs: 4, // the learner's lock only
      idleTailMs: 100, // worker 12 finished at 500, worker 11 at 600
      slowerWorkMs: 200, // 1000 ms of tasks for 800 ms of sequential work
    });
  });

  it('a CPU-bound function: the speedup, the biggest loss, threads held by the GIL, oversubscription, fit and prediction', () => {
    const verdict = composeVerdict({
      modes: [
        mode({ mode: 'sequential', workers: 1, speedup: 1 }),
        mode({ mode: 'threads', workers: 2, speedup: 0.98 }),
        mode({ mode: 'processes', workers: 1, speedup: 0.95 }),
        mode({ mode: 'processes', workers: 2, speedup: 1.8 }),
        mode({ mode: 'processes', workers: 4, speedup: 1.6 }),
      ],
      breakdown: [{ workers: 2, startupMs: 40, pickledBytes: 900, transferMs: 1, lockWaitMs: 0, idleTailMs: 10, slowerWorkMs: 20 }],
      fit: { serialFraction: 0.05, maxSpeedup: 20, r2: 0.97 },
      prediction: { twoWorkers: 2 },
      maxWorkers: 2,
      cores: 2,
      items: 16,
      resultsEqual: true,
      gilEnabled: true,
      computeShare: 0.98,
    });
    assert.match(verdict, /^With 2 workers this function ran 1\.8× faster than alone \(90 % of the ideal; 550–561 ms in 3 runs, alone 990 ms–1\.01 s in 3 runs\)\. Most of what was lost went to starting the processes \(40\.0 ms\)\./);
    assert.match(verdict, /Threads made no measurable difference: the medians, 1\.02 s and 1\.00 s alone, are less than 10 % apart \(1\.01–1\.03 s in 3 runs, alone 990 ms–1\.01 s in 3 runs\)\. The function computes in Python, and this Python has a GIL/);
    assert.match(verdict, /the 2 threads took turns on it, like 2 chefs sharing one stove, so only one of them ran Python code at a time\./);
    assert.match(verdict, /With 4 workers on 2 cores it was slower than with 2 \(619–631 ms in 3 runs; with 2 workers, 550–561 ms in 3 runs\)/);
    assert.match(verdict, /serial part of 5 %: no number of workers would make it more than 20× faster\./);
    assert.match(verdict, /You predicted 2\.0× with 2 workers; it was 1\.8×\./);
  });

  it('tiny items: slower with processes, and told to give each call more work', () => {
    const verdict = composeVerdict({
      modes: [modeWithRuns({ mode: 'sequential', workers: 1 }, [1.5, 1.6, 1.7], [1.5, 1.6, 1.7]), modeWithRuns({ mode: 'processes', workers: 1 }, [31, 32, 33], [1.5, 1.6, 1.7])],
      breakdown: [],
      fit: null,
      prediction: {},
      maxWorkers: 1,
      cores: 2,
      items: 16,
      resultsEqual: true,
      gilEnabled: true,
      computeShare: 0.98,
    });
    assert.match(verdict, /With 1 worker this function ran 20× slower than alone \(31\.0–33\.0 ms in 3 runs, alone 1\.5–1\.7 ms in 3 runs\)\./);
    assert.match(verdict, /Each item takes only 0\.100 ms alone.*give each call more work/);
  });
});
