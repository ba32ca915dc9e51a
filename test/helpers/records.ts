// A small, valid run record for unit tests to start from.

import { RUN_RECORD_SCHEMA, type RunRecord } from '../../src/shared/runRecord';

export function emptyRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: RUN_RECORD_SCHEMA, file: '/x/a.py', argv: [], python: { executable: 'python3', version: '3.11.7' }, startMethod: 'fork',
    exitCode: 0, exitSignal: null, outcome: 'exited', durationMs: 100, cores: 2, truncated: false, startedAt: '2026-01-01T00:00:00.000Z',
    processes: [], coreSamples: [], locks: [], lockEvents: [], channels: [], ipcEvents: [], tasks: [],
    stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, warnings: [], events: { received: 0, malformed: 0, unauthenticated: 0 },
    ...overrides,
  };
}
