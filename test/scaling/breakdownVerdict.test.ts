// Where a process run's missing speedup went, measured from a made-up record, and the
// verdict composed from made-up measurements: each sentence appears when its numbers say so.

import { strict as assert } from 'node:assert';
import type { ProcessEntry, TaskRecord } from '../../src/shared/runRecord';
import type { ScalingMode } from '../../src/shared/scaling';
import { measureBreakdown } from '../../src/extension/engine/scaling/breakdown';
import { composeVerdict } from '../../src/extension/engine/scaling/verdict';
import { emptyRecord } from '../helpers/records';

function worker(pid: number, startMs: number): ProcessEntry {
  return { pid, ppid: 1, name: `ForkPoolWorker-${pid}`, role: 'pool-worker', startMs, endMs: 900, exitCode: 0, cpuMs: null, traced: true, samples: [] };
}

function task(pid: number, startMs: number, endMs: number): TaskRecord {
  return { pool: '1:0', pid, fn: 'crunch', items: 2, startMs, endMs, ok: true, site: null };
}

function mode(entry: Partial<ScalingMode> & Pick<ScalingMode, 'mode' | 'workers' | 'speedup'>): ScalingMode {
  return { wallMs: 1000 / entry.speedup, efficiency: entry.mode === 'sequential' ? 1 : entry.speedup / entry.workers, resultsMatch: true, ...entry };
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
    });
    assert.match(verdict, /^With 2 workers this function ran 1\.8× faster than alone \(90 % of the ideal\)\. Most of what was lost went to starting the processes \(40\.0 ms\)\./);
    assert.match(verdict, /Threads did not help \(1\.0×\): the function computes in Python and holds the GIL/);
    assert.match(verdict, /With 4 workers on 2 cores it was slower than with 2/);
    assert.match(verdict, /serial part of 5 %: no number of workers would make it more than 20× faster\./);
    assert.match(verdict, /You predicted 2\.0× with 2 workers; it was 1\.8×\./);
  });

  it('tiny items: slower with processes, and told to give each call more work', () => {
    const verdict = composeVerdict({
      modes: [mode({ mode: 'sequential', workers: 1, speedup: 1, wallMs: 1.6 }), mode({ mode: 'processes', workers: 1, speedup: 0.05, wallMs: 32 })],
      breakdown: [],
      fit: null,
      prediction: {},
      maxWorkers: 1,
      cores: 2,
      items: 16,
      resultsEqual: true,
    });
    assert.match(verdict, /With 1 worker this function ran 20× slower than alone\./);
    assert.match(verdict, /Each item takes only 0\.100 ms alone.*give each call more work/);
  });
});
