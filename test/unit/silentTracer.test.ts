import { strict as assert } from 'node:assert';
import { silentTracerWarning } from '../../src/extension/engine/run/silentTracer';

describe('silentTracerWarning', () => {
  it('warns when a run that ended by itself, or ran past start-up, heard nothing from the tracer', () => {
    assert.match(silentTracerWarning(false, 'exited', 40) ?? '', /Nothing arrived from Parallel Lab's tracer/);
    assert.match(silentTracerWarning(false, 'stopped', 5000) ?? '', /Nothing arrived/);
    assert.match(silentTracerWarning(false, 'timed-out', 5000) ?? '', /Nothing arrived/);
  });

  it('stays quiet when the tracer said hello, or the run was stopped before Python could load it', () => {
    assert.equal(silentTracerWarning(true, 'exited', 40), null);
    assert.equal(silentTracerWarning(false, 'stopped', 300), null);
  });
});
