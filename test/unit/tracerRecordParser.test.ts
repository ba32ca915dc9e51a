import { strict as assert } from 'node:assert';
import { parseTracerLine } from '../../src/extension/engine/tracerRecordParser';

describe('parseTracerLine', () => {
  it('accepts a well-formed record', () => {
    const line = '{"type":"process-start","pid":5,"ppid":1,"t":1.5,"role":"main","name":"MainProcess"}';
    assert.deepEqual(parseTracerLine(line), { type: 'process-start', pid: 5, ppid: 1, t: 1.5, role: 'main', name: 'MainProcess' });
  });

  it('rejects what is not a record of ours', () => {
    for (const line of [
      'not json',
      '[1,2]',
      'null',
      '{"type":"nonsense"}',
      '{"type":"process-end","pid":"5","t":1,"exitCode":0,"cpuMs":1}',
      '{"type":"process-start","pid":5,"ppid":1,"t":1,"role":"king","name":"x"}',
      '{"type":"child-exit","pid":5,"t":1}',
      '{"type":"toString"}',
    ]) {
      assert.equal(parseTracerLine(line), null, line);
    }
  });
});
