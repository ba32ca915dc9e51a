import { strict as assert } from 'node:assert';
import { parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';

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

describe('parseTracerLine, batches', () => {
  it('accepts a lock batch whose every tuple has the right shape', () => {
    const line = '{"type":"lock-batch","pid":5,"events":[[1,"L",1.0,2.0,3.0,0],[1,"L",4.0,null,null,null]]}';
    assert.ok(parseTracerLine(line));
  });

  it('rejects a batch with one bad tuple, and a start-method record without its method', () => {
    assert.equal(parseTracerLine('{"type":"lock-batch","pid":5,"events":[[1,"L",1.0,2.0,3.0,0],[1,"L","x",null,null,null]]}'), null);
    assert.equal(parseTracerLine('{"type":"ipc-batch","pid":5,"events":[["teleport","Q",0,1.0,0,10,null]]}'), null);
    assert.equal(parseTracerLine('{"type":"start-method","pid":5}'), null);
    assert.ok(parseTracerLine('{"type":"start-method","pid":5,"method":"spawn"}'));
  });
});
