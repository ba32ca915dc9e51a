import { strict as assert } from 'node:assert';
import { formatSummary } from '../../src/extension/engine/summary';
import { RUN_RECORD_SCHEMA, type ProcessEntry, type RunRecord } from '../../src/shared/runRecord';

function process(pid: number, ppid: number, role: ProcessEntry['role'], name: string, cpu: number[], core: number): ProcessEntry {
  return {
    pid, ppid, role, name, startMs: 0, endMs: 1500, exitCode: 0, cpuMs: 120, traced: true,
    samples: cpu.map((value, i) => ({ t: i * 100, cpu: value, rssBytes: 1, core })),
  };
}

const record: RunRecord = {
  schema: RUN_RECORD_SCHEMA, file: '/x/counter.py', argv: [], python: { executable: 'python3', version: '3.11.7' },
  startMethod: 'fork', exitCode: 0, exitSignal: null, outcome: 'exited', durationMs: 1500, cores: 2, truncated: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  processes: [process(10, 1, 'main', 'MainProcess', [10, 30], 0), process(11, 10, 'process', 'Process-1', [90, 100], 1)],
  coreSamples: [{ t: 100, usage: [40, 80] }, { t: 200, usage: [60, 100] }],
  locks: [], lockEvents: [], channels: [], ipcEvents: [], tasks: [],
  stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
  warnings: ['Something to know.'], events: { received: 4, malformed: 0, unauthenticated: 0 },
};

describe('formatSummary', () => {
  const text = formatSummary(record);

  it('lists the process tree with children indented under their parent', () => {
    const lines = text.split('\n');
    const main = lines.find((line) => line.includes('MainProcess'))!;
    const child = lines.find((line) => line.includes('Process-1'))!;
    assert.match(main, /^ {2}10 /);
    assert.match(child, /^ {4}11 /);
    assert.match(child, /10\s+process\s+Process-1\s+0\.00 s–1\.50 s\s+95 %\s+100 %\s+120 ms\s+1\s+0$/);
  });

  it('gives the mean busy % of each core, the exit and the warnings', () => {
    assert.match(text, /core 0\s+50 % busy/);
    assert.match(text, /core 1\s+90 % busy/);
    assert.match(text, /Run: exit code 0 · 1\.50 s · 2 processes/);
    assert.match(text, /Warnings\n {2}- Something to know\./);
  });
});
