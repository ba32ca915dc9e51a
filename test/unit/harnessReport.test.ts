// The scaling lab's report as it arrives on the event channel: a `scale-report` record,
// checked like every tracer record, whose document harnessReport.ts checks field by field
// and whose times it puts on the run's axis.

import { strict as assert } from 'node:assert';
import { harnessReportOf } from '../../src/extension/engine/scaling/harnessReport';
import type { ScaleReportRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';

const POOL_REPORT = { ok: true, mode: 'processes', workers: 2, items: 16, mapStartMs: 410.5, poolCreatedMs: 410.25, chunksize: 2, difference: null, wallMs: 812.5, sentMs: 1230 };

function record(report: object, t: number): ScaleReportRecord {
  return { type: 'scale-report', pid: 4010, t, report: JSON.stringify(report) };
}

describe('the scaling lab\'s report record', () => {
  it('is parsed like any tracer record, with every field checked', () => {
    const line = JSON.stringify(record(POOL_REPORT, 1230));
    assert.deepEqual(parseTracerLine(line), record(POOL_REPORT, 1230));
    assert.equal(parseTracerLine('{"type":"scale-report","pid":4010,"report":"{}"}'), null, 'no t');
    assert.equal(parseTracerLine('{"type":"scale-report","pid":4010,"t":1,"report":{"ok":true}}'), null, 'the document travels as JSON text');
  });

  it('keeps the times as they are when the tracer\'s clock is the harness\'s', () => {
    const report = harnessReportOf(record(POOL_REPORT, 1230));
    assert.deepEqual(report, { ok: true, mode: 'processes', workers: 2, items: 16, wallMs: 812.5, mapStartMs: 410.5, poolCreatedMs: 410.25, chunksize: 2, difference: null, changedGlobals: undefined, cpuMs: undefined, coreWaitMs: undefined });
  });

  it('passes on the sequential run\'s CPU time and wait for a core, and drops them when they are not numbers', () => {
    const sequential = { ok: true, mode: 'sequential', workers: 1, items: 16, mapStartMs: 400, wallMs: 300, cpuMs: 290.5, coreWaitMs: 4.25, sentMs: 800 };
    const report = harnessReportOf(record(sequential, 800));
    assert.ok(report?.ok);
    assert.deepEqual([report.cpuMs, report.coreWaitMs], [290.5, 4.25]);
    const unmeasured = harnessReportOf(record({ ...sequential, cpuMs: 'n/a', coreWaitMs: null }, 800));
    assert.ok(unmeasured?.ok);
    assert.deepEqual([unmeasured.cpuMs, unmeasured.coreWaitMs], [undefined, undefined]);
  });

  it('moves the times with the host\'s placing of the record (a clock an hour ahead, as on a Mac after sleep)', () => {
    const ahead = { ...POOL_REPORT, mapStartMs: 3_600_410.5, poolCreatedMs: 3_600_410.25, sentMs: 3_601_230 };
    const report = harnessReportOf(record(ahead, 1230));
    assert.ok(report?.ok);
    assert.deepEqual([report.mapStartMs, report.poolCreatedMs, report.wallMs], [410.5, 410.25, 812.5]);
  });

  it('passes a learner\'s mistake on, and refuses a document of the wrong shape', () => {
    const mistake = { ok: false, error: { kind: 'lambda', function: 'f' }, sentMs: 12 };
    assert.deepEqual(harnessReportOf(record(mistake, 12)), { ok: false, error: { kind: 'lambda', function: 'f' } });
    const { sentMs: _sent, ...unsent } = POOL_REPORT;
    assert.equal(harnessReportOf(record(unsent, 1230)), null, 'without sentMs its times cannot be placed');
    assert.equal(harnessReportOf(record({ ...POOL_REPORT, mode: 'gpu' }, 1230)), null);
    assert.equal(harnessReportOf({ type: 'scale-report', pid: 1, t: 0, report: '{"ok": tru' }), null);
  });
});
