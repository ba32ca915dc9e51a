// The wire contract from both ends: the tracer's wire.py and tracerProtocol.ts agree on the
// protocol version, the process roles and the fields of event tuples, and every record
// wire.py builds is one the host's parser accepts. Runs the real wire.py in Python.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { PROCESS_ROLES } from '../../src/shared/runRecord';
import { EVENT_FIELDS, TRACER_PROTOCOL_VERSION, type TracerRecordType } from '../../src/extension/engine/tracer/tracerProtocol';
import { parseHello, parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';
import { DEFAULT_PYTHON, TRACER_DIR } from '../helpers/tracedPython';

// One record of every kind, built by wire.py's builders from values of the types the tracer
// passes them (times of event tuples as raw nanoseconds, native thread ids as in the hot paths).
const WIRE_SAMPLES = `
import json, sys
sys.path.insert(0, sys.argv[1])
from parallel_lab_tracer import wire

def to_ms(ns):
    return ns // 1000 / 1000

records = [
    wire.process_start(5, 1, 1.5, wire.MAIN, "MainProcess", "spawn", 20.125),
    wire.process_start(6, 5, 2.5, wire.OTHER, "python -c", None, 3.0, 606, "MainThread"),
    wire.process_role(6, wire.POOL_WORKER, "ForkPoolWorker-1"),
    wire.process_end(6, 9.0, None, 4.0),
    wire.child_start(7, 5, 3.0, "ls -l"),
    wire.child_exit(7, 4.0, -9),
    wire.start_method(5, "fork"),
    wire.warning(5, "Careful."),
    wire.scale_report(5, 8.0, "{}"),
    wire.site(5, 0, "/x/a.py", 3, "main"),
    wire.lock_new(5, "L", "Lock", "Lock", False, 0),
    wire.lock_new(5, "V", "RLock", "Value.get_lock", False, 0, "counter.get_lock()"),
    wire.lock_open(5, 101, "L", 1.0, None, 0, wire.held_locks([("M", 500000, None)], to_ms)),
    wire.lock_stats(5, "L", 1.0, 300, 0.5, 0.25, 2.0, [0.001, 0.01], [299, 1, 0], [300, 0, 0]),
    wire.channel_new(5, "c", "queue", "Queue", False, None),
    wire.channel_new(5, "p", "pipe", "Pipe", False, 0, "parent_end \u2194 child_end"),
    wire.lock_batch(5, [(101, "L", 1000000, 2000000, 3000000, 0), (101, "L", 4000000, None, None, None)], to_ms),
    wire.lock_release(5, [(101, "L", 3000000, None)], to_ms),
    wire.ipc_batch(5, [("put", "c", 0, 3000000, 1500, 26, None)], to_ms),
    wire.task_submit(5, [("1:0:0:0", 1000000, 0)], to_ms),
    wire.thread_batch(5, [(501, "chef-1", 1000000, None, None), (501, "chef-1b", 1000000, 5000000, 3250000)], to_ms),
]
q = wire.quote
# A pool worker's two lines per task come preformatted, strings quoted by the caller.
task_lines = [
    wire.task_start_line(5, q("1:0"), q("ProcessPoolExecutor"), q("caf\u00e9"), 1, 1.0, q("1:0:0:0"), q('caf\u00e9("a' + chr(92) + 'b")')),
    wire.task_end_line(5, q("1:0"), q("caf\u00e9"), 1, 1.0, 2.5, False, q("1:0:0:0")),
]
fields = {name[: -len("_FIELDS")]: list(value) for name, value in vars(wire).items() if name.endswith("_FIELDS")}
print(json.dumps({
    "version": wire.PROTOCOL_VERSION,
    "roles": list(wire.PROCESS_ROLES),
    "fields": fields,
    "records": [wire.encode_line(record) for record in records] + task_lines,
    "hello": wire.encode_line(wire.hello("run-token", 5, 1.0)),
    "clock": wire.clock_line(2.0),
    "spool": wire.encode_line(wire.spool_line("5-1.spool")),
}))
`;

interface WireSamples {
  version: number;
  roles: string[];
  fields: Record<string, string[]>;
  records: string[];
  hello: string;
  clock: string;
  spool: string;
}

// Every record type, so that a new one without a sample fails to compile.
const EVERY_TYPE: { [K in TracerRecordType]: true } = {
  'process-start': true, 'process-role': true, 'process-end': true, 'child-start': true, 'child-exit': true, 'start-method': true,
  warning: true, site: true, 'lock-new': true, 'lock-batch': true, 'lock-release': true, 'lock-open': true, 'lock-stats': true,
  'channel-new': true, 'ipc-batch': true, 'task-batch': true, 'task-submit': true, 'task-start': true, 'scale-report': true,
  'thread-batch': true,
};

describe('the wire contract between wire.py and tracerProtocol.ts', function () {
  this.timeout(20_000);
  let wire: WireSamples;

  before(() => {
    wire = JSON.parse(execFileSync(DEFAULT_PYTHON, ['-c', WIRE_SAMPLES, TRACER_DIR], { encoding: 'utf8' })) as WireSamples;
  });

  it('has one protocol version, one list of roles and one order of fields for each event tuple', () => {
    assert.equal(wire.version, TRACER_PROTOCOL_VERSION);
    assert.deepEqual(wire.roles, [...PROCESS_ROLES]);
    assert.deepEqual(wire.fields, EVENT_FIELDS);
  });

  it('builds only records the host accepts, one of every type', () => {
    const types = new Set<string>();
    const names: string[] = [];
    const threads: unknown[] = [];
    for (const line of wire.records) {
      const record = parseTracerLine(line);
      assert.ok(record, `the host refused ${line}`);
      types.add(record.type);
      if ((record.type === 'lock-new' || record.type === 'channel-new') && record.name !== undefined) names.push(record.name);
      if (record.type === 'process-start' && record.tid !== undefined) threads.push([record.tid, record.threadName]);
      if (record.type === 'thread-batch') threads.push(...record.events);
    }
    assert.deepEqual([...types].sort(), Object.keys(EVERY_TYPE).sort());
    assert.deepEqual(names, ['counter.get_lock()', 'parent_end ↔ child_end'], "the learner's names of a lock and a channel");
    // A process's first thread, then another's start and its end (renamed, with its CPU time).
    assert.deepEqual(threads, [[606, 'MainThread'], [501, 'chef-1', 1, null, null], [501, 'chef-1b', 1, 5, 3.25]]);
  });

  it("writes a pool worker's preformatted task lines as the host reads them, escapes included", () => {
    const start = wire.records.map((line) => parseTracerLine(line)).find((record) => record?.type === 'task-start');
    const end = wire.records.map((line) => parseTracerLine(line)).filter((record) => record?.type === 'task-batch');
    assert.deepEqual(start?.events, [['1:0', 'ProcessPoolExecutor', 'café', 1, 1, '1:0:0:0', 'café("a\\b")']]);
    assert.deepEqual(end.map((record) => record?.events), [[['1:0', 'café', 1, 1, 2.5, false, null, '1:0:0:0']]]);
  });

  it('opens with a hello of this version, and names clocks and spools as the host reads them', () => {
    assert.deepEqual(parseHello(wire.hello, 'run-token'), {
      kind: 'hello',
      hello: { type: 'hello', v: TRACER_PROTOCOL_VERSION, token: 'run-token', pid: 5, t: 1 },
    });
    assert.deepEqual(JSON.parse(wire.clock), { type: 'clock', t: 2 });
    assert.deepEqual(JSON.parse(wire.spool), { type: 'spool', file: '5-1.spool' });
  });
});
