// A small, valid run record for unit tests to start from, and a profiled run's record in the
// shape a file has.

import { strict as assert } from 'node:assert';
import { RUN_RECORD_SCHEMA, type LockEventList, type RunRecord } from '../../src/shared/runRecord';

export function emptyRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: RUN_RECORD_SCHEMA, file: '/x/a.py', argv: [], python: { executable: 'python3', version: '3.11.7' }, startMethod: 'fork',
    exitCode: 0, exitSignal: null, outcome: 'exited', durationMs: 100, cores: 2, truncated: false, startedAt: '2026-01-01T00:00:00.000Z',
    processes: [], coreSamples: [], locks: [], lockEvents: [], channels: [], ipcEvents: [], tasks: [],
    stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, warnings: [], events: { received: 0, malformed: 0, unauthenticated: 0 },
    ...overrides,
  };
}

/** A profiled run's record with its lock events (columns in the host) as an array, as a file has them: tests filter and index them. */
export function withEventArray(record: RunRecord<LockEventList>): RunRecord {
  return { ...record, lockEvents: Array.from(record.lockEvents) };
}

/**
 * The event server took every line of a profiled run: none malformed, none unauthenticated.
 * A tracer and a host that disagree on a record show up here rather than as a missing event.
 */
export function assertEveryLineAccepted(record: Pick<RunRecord, 'events'>): void {
  const { malformed, unauthenticated } = record.events;
  assert.deepEqual({ malformed, unauthenticated }, { malformed: 0, unauthenticated: 0 }, 'every line on the event channel was accepted');
}
