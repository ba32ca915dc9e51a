import { strict as assert } from 'node:assert';
import { TRACER_PROTOCOL_VERSION } from '../../src/extension/engine/tracer/tracerProtocol';
import { parseHello, parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';

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

describe('parseHello', () => {
  const hello = (fields: object): string => JSON.stringify({ type: 'hello', token: 'run-token', pid: 5, t: 1.5, ...fields });

  it('accepts a hello of this run in this protocol version', () => {
    assert.deepEqual(parseHello(hello({ v: TRACER_PROTOCOL_VERSION }), 'run-token'), {
      kind: 'hello',
      hello: { type: 'hello', token: 'run-token', pid: 5, t: 1.5, v: TRACER_PROTOCOL_VERSION },
    });
  });

  it('tells a tracer of another version, or of none, from a stranger', () => {
    assert.deepEqual(parseHello(hello({ v: TRACER_PROTOCOL_VERSION + 1 }), 'run-token'), { kind: 'other-version', version: TRACER_PROTOCOL_VERSION + 1 });
    assert.deepEqual(parseHello(hello({}), 'run-token'), { kind: 'other-version', version: null });
    assert.deepEqual(parseHello(hello({ v: TRACER_PROTOCOL_VERSION }), 'another-run'), { kind: 'refused' });
    assert.deepEqual(parseHello(hello({ v: TRACER_PROTOCOL_VERSION, t: 'soon' }), 'run-token'), { kind: 'refused' });
    assert.deepEqual(parseHello('not json', 'run-token'), { kind: 'refused' });
  });
});
