// What a parent's word on its children (child-start, child-exit) does to the run record and
// to the live panel's copy of the processes (the builder's deltas).

import { strict as assert } from 'node:assert';
import type { ProcessFacts } from '../../src/shared/liveDeltas';
import { RunRecordBuilder } from '../../src/extension/engine/record/recordBuilder';
import type { TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';

const SHELL_START: TracerRecord = { type: 'child-start', pid: 301, ppid: 100, t: 20, command: '/bin/sh -c sleep 0.3; exit 3' };
const SHELL_EXIT: TracerRecord = { type: 'child-exit', pid: 301, t: 330, exitCode: 3 };
// A fork child whose own start arrives after its parent collected its exit.
const EARLY_EXIT: TracerRecord = { type: 'child-exit', pid: 302, t: 60, exitCode: 7 };
const LATE_START: TracerRecord = { type: 'process-start', pid: 302, ppid: 100, t: 40, role: 'other', name: 'fork of MainProcess' };
const LATE_END: TracerRecord = { type: 'process-end', pid: 302, t: 58, exitCode: 7, cpuMs: 1 };

/** The fields both sides keep, for comparing them. */
function factsOf(p: Omit<ProcessFacts, 'index'>): Record<string, unknown> {
  const { pid, ppid, name, role, startMs, endMs, exitCode, traced, command } = p;
  return { pid, ppid, name, role, startMs, endMs, exitCode, traced, command };
}

function recordProcesses(records: TracerRecord[]): { processes: Array<Record<string, unknown>>; warnings: string[] } {
  const builder = new RunRecordBuilder();
  for (const record of records) builder.applyTracerRecord(record);
  return { processes: builder.finishProcesses(1000).map(factsOf), warnings: builder.getWarnings() };
}

function liveProcesses(records: TracerRecord[]): Array<Record<string, unknown>> {
  const builder = new RunRecordBuilder();
  const latest = new Map<number, ProcessFacts>();
  for (const record of records) {
    builder.applyTracerRecord(record);
    for (const delta of builder.drainChanges()) if (delta.kind === 'process') latest.set(delta.process.index, delta.process);
  }
  return [...latest.values()].map(factsOf);
}

const SHELL = { pid: 301, ppid: 100, name: 'sh -c', role: 'other', startMs: 20, endMs: 330, exitCode: 3, traced: false, command: '/bin/sh -c sleep 0.3; exit 3' };
const FORK_CHILD = { pid: 302, ppid: 100, name: 'fork of MainProcess', role: 'other', startMs: 40, endMs: 58, exitCode: 7, traced: true, command: undefined };

describe('child-start and child-exit', () => {
  it('are parsed, with every field checked', () => {
    assert.deepEqual(parseTracerLine(JSON.stringify(SHELL_START)), SHELL_START);
    assert.equal(parseTracerLine('{"type":"child-start","pid":301,"ppid":100,"t":20}'), null);
    assert.equal(parseTracerLine('{"type":"child-start","pid":301,"ppid":"100","t":20,"command":"true"}'), null);
  });

  it('list an untraced child as the sampler would name it, with its exit code', () => {
    assert.deepEqual(recordProcesses([SHELL_START, SHELL_EXIT]).processes, [SHELL]);
    assert.deepEqual(liveProcesses([SHELL_START, SHELL_EXIT]), [SHELL]);
  });

  it('leave a child that its own tracer reported as it did, without a second entry', () => {
    const start: TracerRecord = { type: 'process-start', pid: 301, ppid: 100, t: 25, role: 'other', name: 'worker.py' };
    // The earliest start wins: the parent's launch comes before the child's interpreter is up.
    for (const [records, startMs] of [[[start, SHELL_START], 25], [[SHELL_START, start], 20]] as const) {
      for (const processes of [recordProcesses([...records]).processes, liveProcesses([...records])]) {
        assert.equal(processes.length, 1);
        assert.deepEqual({ name: processes[0].name, traced: processes[0].traced, startMs: processes[0].startMs }, { name: 'worker.py', traced: true, startMs });
      }
    }
  });

  it('leave a short Python child whose whole life arrived before its parent\'s word as one process', () => {
    const start: TracerRecord = { type: 'process-start', pid: 301, ppid: 100, t: 25, role: 'other', name: 'python -c' };
    const end: TracerRecord = { type: 'process-end', pid: 301, t: 28, exitCode: null, cpuMs: 2 };
    const records = [start, end, SHELL_START, { ...SHELL_EXIT, t: 40, exitCode: 0 }];
    const quick = { pid: 301, ppid: 100, name: 'python -c', role: 'other', startMs: 25, endMs: 28, exitCode: 0, traced: true, command: undefined };
    assert.deepEqual(recordProcesses(records).processes, [quick]);
    assert.deepEqual(liveProcesses(records), [quick]);
  });

  it('list a child anew when its pid was another parent\'s process that has ended', () => {
    const earlier: TracerRecord[] = [
      { type: 'process-start', pid: 301, ppid: 999, t: 1, role: 'other', name: 'python -c' },
      { type: 'process-end', pid: 301, t: 5, exitCode: null, cpuMs: 2 },
    ];
    for (const processes of [recordProcesses([...earlier, SHELL_START, SHELL_EXIT]).processes, liveProcesses([...earlier, SHELL_START, SHELL_EXIT])]) {
      assert.deepEqual(processes.map((p) => [p.ppid, p.exitCode]), [[999, null], [100, 3]]);
    }
  });

  it('place an exit that arrived before its process was known on that process', () => {
    const records = [EARLY_EXIT, LATE_START, LATE_END];
    const { processes, warnings } = recordProcesses(records);
    assert.deepEqual(processes, [FORK_CHILD]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(liveProcesses(records), [FORK_CHILD]);
  });

  it('do not give an exit to a later process with the same pid, and say so when no process claimed it', () => {
    const later: TracerRecord = { ...LATE_START, t: 500 };
    const { processes, warnings } = recordProcesses([EARLY_EXIT, later]);
    assert.equal(processes[0].exitCode, null);
    assert.deepEqual(warnings, ['Process 302 ended with exit code 7, but Parallel Lab never saw it start, so it is not in the process list.']);
    assert.equal(liveProcesses([EARLY_EXIT, later])[0].exitCode, null);
  });
});
