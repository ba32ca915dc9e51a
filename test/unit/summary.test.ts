import { strict as assert } from 'node:assert';
import { formatSummary } from '../../src/extension/engine/export/summary';
import { RUN_RECORD_SCHEMA, type ProcessEntry, type RunRecord, type ThreadEntry, type ThreadSample } from '../../src/shared/runRecord';

function process(pid: number, ppid: number, role: ProcessEntry['role'], name: string, cpu: number[], core: number, cpuMs: number | null): ProcessEntry {
  return {
    pid, ppid, role, name, startMs: 0, endMs: 1500, exitCode: 0, cpuMs, traced: true,
    samples: cpu.map((value, i) => ({ t: (i + 1) * 100, cpu: value, rssBytes: 1, core, runQueueMs: 30 })),
  };
}

/** A process that lived 40 ms, between two samples: only the tracer measured it. */
const short: ProcessEntry = {
  pid: 12, ppid: 10, role: 'process', name: 'Process-2', startMs: 110, endMs: 150, exitCode: 3, cpuMs: 30, traced: true, samples: [],
};

const record: RunRecord = {
  schema: RUN_RECORD_SCHEMA, file: '/x/counter.py', argv: [], python: { executable: 'python3', version: '3.11.7' },
  startMethod: 'fork', exitCode: 0, exitSignal: null, outcome: 'exited', durationMs: 1500, cores: 2, truncated: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  processes: [process(10, 1, 'main', 'MainProcess', [10, 30], 0, 300), process(11, 10, 'process', 'Process-1', [90, 100], 1, 1425), short],
  coreSamples: [
    { t: 100, usage: [40, 80], run: [10, 60], runTotal: 70 },
    { t: 200, usage: [60, 100], run: [30, 100], runTotal: 130 },
  ],
  locks: [], lockEvents: [], channels: [], ipcEvents: [], tasks: [],
  stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
  warnings: ['Something to know.'], events: { received: 4, malformed: 0, unauthenticated: 0 },
};

describe('formatSummary', () => {
  const text = formatSummary(record);
  const lines = text.split('\n');

  it('lists the process tree with children indented under their parent', () => {
    const main = lines.find((line) => line.includes('MainProcess'))!;
    const child = lines.find((line) => line.includes('Process-1'))!;
    assert.match(main, /^ {2}10 /);
    assert.match(child, /^ {4}11 /);
    // Mean over its life (its CPU time over its lifetime), max of the samples, CPU time, wait.
    assert.match(child, /10\s+process\s+Process-1\s+0\.00 s–1\.50 s\s+95 %\s+100 %\s+1\.43 s\s+60\.0 ms\s+1\s+0$/);
  });

  it('gives a process shorter than one sample its CPU time and its mean CPU over its life', () => {
    const row = lines.find((line) => line.includes('Process-2'))!;
    assert.match(row, /Process-2\s+0\.11 s–0\.15 s\s+75 %\s+–\s+30\.0 ms\s+–\s+–\s+3$/);
  });

  it("leads the cores with the run's own share and keeps other programs' apart", () => {
    assert.match(text, /your run: 1\.00 cores' worth of work · other programs: 0\.40/);
    assert.match(text, /core 0\s+20 % your run · 30 % other programs/);
    assert.match(text, /core 1\s+80 % your run · 10 % other programs/);
  });

  it('says how long the processes waited for a free core, and why', () => {
    assert.match(text, /Your 2 processes waited 120 ms in all for a free core \(ready to run, but every core was busy\): other programs were using 0\.4 of the 2 cores meanwhile/);
  });

  it('says where the platform cannot split the cores between the run and other programs', () => {
    const listing = formatSummary({ ...record, coreSamples: record.coreSamples.map(({ t, usage, runTotal }) => ({ t, usage, runTotal })) });
    assert.match(listing, /your run: 1\.00 cores' worth of work · other programs: 0\.40/);
    assert.match(listing, /core 0\s+50 % busy \(all programs\)/);
    assert.match(listing, /does not say which core ran which process/);
  });

  it('gives the exit and the warnings', () => {
    assert.match(text, /Run: exit code 0 · 1\.50 s · 3 processes/);
    assert.match(text, /Warnings\n {2}- Something to know\./);
  });

  it('lists the threads of processes that had two or more, and only those', () => {
    assert.ok(!text.includes('Threads'), 'no thread part where no process had a second thread');
    const thread = (tid: number, name: string, python: boolean, startMs: number, endMs: number | null, cpuMs: number | null): ThreadEntry => ({
      tid, name, python, startMs, endMs, cpuMs, samples: [],
    });
    const [main, child] = record.processes;
    const threaded = formatSummary({
      ...record,
      processes: [
        { ...main, threads: [thread(10, 'MainThread', true, 0, 1500, null), thread(21, 'chef-1', true, 500, 1500, 250), thread(22, 'python3', false, 1000, null, 5)] },
        { ...child, threads: [thread(11, 'MainThread', true, 0, 1500, 900)] },
      ],
    });
    const part = threaded.split('\n\n').find((section) => section.startsWith('Threads'));
    assert.ok(part, threaded);
    assert.deepEqual(part.split('\n').slice(1).map((line) => line.trim().split(/\s{2,}/)), [
      ['PID', 'PROCESS', 'THREAD', 'TID', 'LIFETIME', 'CPU TIME', 'ON A CORE (SHARE OF ITS LIFE)', 'WAITED FOR THE GIL'],
      ['10', 'MainProcess', 'MainThread', '10', '0.00 s–1.50 s', '–', '–', '–'],
      ['chef-1', '21', '0.50 s–1.50 s', '250 ms', '25 %', '–'],
      // Still running when the record was made: its life runs to the end of the run.
      ['python3 (not started by Python)', '22', '1.00 s–…', '5.0 ms', '1 %', '–'],
    ]);
    assert.ok(!part.includes('stove'), 'no stove where no thread was read fast');
  });

  it('sums the time each thread read fast waited for the GIL, and says how they shared the stove', () => {
    // Two chefs take turns: each 5 ms, one runs 4 ms and waits 1 ms for the GIL, the other the reverse.
    const fast = (t: number, ranMs: number): ThreadSample => ({ t, cpu: ranMs * 20, state: ranMs > 2.5 ? 'running' : 'waiting-for-gil', ranMs, coreWaitMs: 0, gilWaitMs: 5 - ranMs, waitingMs: 0 });
    const times = Array.from({ length: 20 }, (_, i) => 105 + i * 5);
    const chef = (tid: number, first: number): ThreadEntry => ({
      tid, name: `chef-${tid}`, python: true, startMs: 0, endMs: 300, cpuMs: 100,
      samples: [{ t: 100, cpu: 50, state: 'running', ranMs: 50, coreWaitMs: 0, waitingMs: 50 }, ...times.map((t, i) => fast(t, i % 2 === first ? 4 : 1))],
    });
    const [main] = record.processes;
    const stove = formatSummary({ ...record, sampling: { intervalMs: 100, fastThreadIntervalMs: 5, fastSamplesPerProcess: 12_000 }, processes: [{ ...main, threads: [chef(1, 0), chef(2, 1)] }] });
    const part = stove.split('\n\n').find((section) => section.startsWith('Threads')) ?? '';
    assert.match(part, / chef-1 +1 .* 50\.0 ms$/m, part);
    assert.match(part, / chef-2 +2 .* 50\.0 ms$/m, part);
    assert.match(part, /\n {2}The stove \(who held the GIL, read every 5 ms while two or more threads wanted to run\):\n {4}\d+ MainProcess: 2 threads shared one stove: each ran about 50 % of the time; while one ran, the others waited for the GIL \(about 50 % of the time each\)\.$/, part);
  });
});
