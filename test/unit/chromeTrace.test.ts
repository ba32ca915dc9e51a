import { strict as assert } from 'node:assert';
import { layOutNested, toChromeTrace } from '../../src/extension/engine/export/chromeTrace';
import { RUN_RECORD_SCHEMA, type RunRecord } from '../../src/shared/runRecord';

function nests(track: Array<{ start: number; end: number }>): boolean {
  return track.every((a, i) => track.every((b, j) => i === j || a.end <= b.start || b.end <= a.start || (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end)));
}

describe('layOutNested', () => {
  it('keeps nested slices on one track and moves crossing ones to another', () => {
    const slices = [
      { start: 0, end: 100 }, // task
      { start: 10, end: 20 }, // wait inside it
      { start: 20, end: 60 }, // hold A
      { start: 40, end: 80 }, // hold B, released after A: crosses A
      { start: 90, end: 95 },
    ];
    const tracks = layOutNested(slices);
    assert.equal(tracks.length, 2);
    assert.deepEqual(tracks[1], [{ start: 40, end: 80 }]);
    for (const track of tracks) assert.ok(nests(track));
    assert.equal(tracks.flat().length, slices.length, 'no slice lost');
  });
});

describe('toChromeTrace', () => {
  const record: RunRecord = {
    schema: RUN_RECORD_SCHEMA, file: '/x/a.py', argv: [], python: { executable: 'python3', version: '3.11.7' }, startMethod: 'fork',
    exitCode: 0, exitSignal: null, outcome: 'exited', durationMs: 100, cores: 2, truncated: false, startedAt: '2026-01-01T00:00:00.000Z',
    processes: [
      { pid: 10, ppid: 1, name: 'MainProcess', role: 'main', startMs: 0, endMs: 100, exitCode: 0, cpuMs: 5, traced: true, samples: [{ t: 50, cpu: 12.345, rssBytes: 1, core: 1 }] },
      { pid: 11, ppid: 10, name: 'Process-1', role: 'process', startMs: 5, endMs: 90, exitCode: 0, cpuMs: 5, traced: true, samples: [] },
    ],
    coreSamples: [{ t: 50, usage: [10, 90] }, { t: 100, usage: [50, 60], run: [40, 0], runTotal: 40 }],
    locks: [{ id: 'L1', kind: 'Lock', api: 'Value.get_lock', name: 'counter.get_lock()', internal: false, site: null }],
    lockEvents: [{ lock: 'L1', pid: 11, requestMs: 10, acquiredMs: 12, releasedMs: 20, site: { file: '/x/a.py', line: 7, function: 'f' } }],
    channels: [{ id: 'Q1', kind: 'queue', api: 'Queue', name: 'results', internal: false, site: null }],
    ipcEvents: [
      { channel: 'Q1', kind: 'queue', op: 'put', pid: 11, t: 30, waitMs: 0, bytes: 20, site: null, message: 'm1' },
      { channel: 'Q1', kind: 'queue', op: 'get', pid: 10, t: 35, waitMs: 20, bytes: 20, site: null, message: 'm1' },
    ],
    tasks: [],
    stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, warnings: [], events: { received: 0, malformed: 0, unauthenticated: 0 },
  };
  const trace = JSON.parse(JSON.stringify(toChromeTrace(record))) as ReturnType<typeof toChromeTrace>;

  it('has a named track per process and counters for CPU and cores', () => {
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.name);
    assert.deepEqual(names.sort(), ['Cores', 'MainProcess (main)', 'Process-1 (process)']);
    assert.ok(trace.traceEvents.some((e) => e.ph === 'C' && e.pid === 10 && e.args?.cpu === 12.3));
    assert.ok(trace.traceEvents.some((e) => e.ph === 'C' && e.name === 'core 1 busy %' && e.args?.busy === 90));
    // Where the record splits a core's load, the counter stacks the run's share and other programs'.
    assert.ok(trace.traceEvents.some((e) => e.ph === 'C' && e.name === 'core 0 busy %' && e.args?.['your run'] === 40 && e.args?.['other programs'] === 10));
  });

  it("has a track per thread under its native id, its states inside its life, apart from the process's event tracks", () => {
    const threaded = JSON.parse(JSON.stringify(toChromeTrace({
      ...record,
      processes: [
        {
          ...record.processes[0],
          threads: [
            { tid: 10, name: 'MainThread', python: true, startMs: 0, endMs: 100, cpuMs: 5, samples: [] },
            {
              tid: 12, name: 'chef-1', python: true, startMs: 20, endMs: 80, cpuMs: 30,
              samples: [
                { t: 15, cpu: 50, state: 'running' }, // read before the tracer's start: nothing of it is inside the life
                { t: 40, cpu: 80, state: 'running' },
                { t: 60, cpu: 40, state: 'running' },
                { t: 90, cpu: 0, state: 'waiting' }, // the part after its end is left out
              ],
            },
          ],
        },
        record.processes[1],
      ],
      lockEvents: [{ ...record.lockEvents[0], pid: 10 }],
    }))) as ReturnType<typeof toChromeTrace>;
    const names = threaded.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === 10).map((e) => [e.tid, e.args?.name]);
    assert.deepEqual(names.slice(0, 2), [[10, 'MainThread'], [12, 'chef-1']]);
    const chef = threaded.traceEvents.filter((e) => e.ph === 'X' && e.tid === 12).map((e) => [e.name, e.ts, e.dur, e.args?.cpu]);
    assert.deepEqual(chef, [['chef-1', 20_000, 60_000, undefined], ['running', 20_000, 40_000, 60], ['waiting (blocked)', 60_000, 20_000, 0]]);
    // The lock's slices of pid 10 are on a track of their own, not on a thread's.
    const lockTids = threaded.traceEvents.filter((e) => e.cat === 'lock-hold' || e.cat === 'lock-wait').map((e) => e.tid);
    assert.ok(lockTids.length > 0 && lockTids.every((tid) => tid !== 10 && tid !== 12), `lock tracks: ${lockTids.join(', ')}`);
  });

  it('has wait and hold slices in microseconds, and a flow from put to get', () => {
    const wait = trace.traceEvents.find((e) => e.cat === 'lock-wait')!;
    const hold = trace.traceEvents.find((e) => e.cat === 'lock-hold')!;
    assert.deepEqual([wait.pid, wait.ts, wait.dur, wait.name], [11, 10_000, 2_000, 'wait counter.get_lock()']);
    assert.equal(trace.traceEvents.find((e) => e.cat === 'ipc-put')?.name, 'put results', 'the queue as the code names it');
    assert.deepEqual([hold.ts, hold.dur, hold.args?.line], [12_000, 8_000, 7]);
    const start = trace.traceEvents.find((e) => e.ph === 's')!;
    const finish = trace.traceEvents.find((e) => e.ph === 'f')!;
    assert.equal(start.id, 'm1');
    assert.equal(finish.id, 'm1');
    assert.deepEqual([start.pid, finish.pid], [11, 10]);
  });
});
