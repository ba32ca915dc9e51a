// Messages as the Python tracer reports them: real interpreters run Queue, SimpleQueue,
// JoinableQueue and Pipe programs under each start method, and the `channel-new` and
// `ipc-batch` records they send are checked, along with the program's unchanged output.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { START_METHODS, type StartMethod } from '../../src/shared/runRecord';
import { SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';
import {
  DEFAULT_PYTHON,
  type IpcEvent,
  type TracedRun,
  channelsOf,
  learnerIpcEventsOf,
  lineOf,
  rolesOf,
  runTraced,
  runUntraced,
  sitesOf,
} from '../helpers/tracedPython';
import { itWithPython } from '../helpers/pythonVersions';

const QUEUE_SAMPLE = path.join(SAMPLES_DIR, '03-talking-between-kitchens', 'queue_result.py');

// 20 round trips of exact byte sizes, then 20 of a pickled object whose size the program prints.
const PING_PONG = `
  import multiprocessing as mp
  from multiprocessing.reduction import ForkingPickler

  ROUNDS = 20

  def echo(conn):
      for _ in range(ROUNDS):
          data = conn.recv_bytes()
          conn.send_bytes(data + b"!")
      for _ in range(ROUNDS):
          conn.send(conn.recv())
      buffer = bytearray(64)
      size = conn.recv_bytes_into(buffer)
      conn.send_bytes(buffer, 0, size)
      conn.close()

  if __name__ == "__main__":
      here, there = mp.Pipe()
      child = mp.Process(target=echo, args=(there,))
      child.start()
      for i in range(ROUNDS):
          here.send_bytes(b"x" * (100 + i))
          assert here.recv_bytes() == b"x" * (100 + i) + b"!"
      for i in range(ROUNDS):
          here.send(bytes(1000))
          assert here.recv() == bytes(1000)
      here.send_bytes(b"y" * 7)
      assert here.recv_bytes() == b"y" * 7
      child.join()
      print("pickled size", len(ForkingPickler.dumps(bytes(1000))))
      print("child exit", child.exitcode)
`;

const SIMPLE_AND_JOINABLE = `
  import multiprocessing as mp

  def produce(simple):
      for word in ("one", "two", "three"):
          simple.put(word)

  def consume(joinable):
      for _ in range(5):
          joinable.get()
          joinable.task_done()

  if __name__ == "__main__":
      simple = mp.SimpleQueue()
      joinable = mp.JoinableQueue()
      producer = mp.Process(target=produce, args=(simple,))
      consumer = mp.Process(target=consume, args=(joinable,))
      producer.start()
      consumer.start()
      print([simple.get() for _ in range(3)])
      for n in range(5):
          joinable.put(n * 10)
      joinable.join()
      producer.join()
      consumer.join()
      print("joined")
`;

// The receiver waits for a late 5 MB message; a 5 MB send blocks until a late reader drains it.
const LARGE_PAYLOAD = `
  import multiprocessing as mp
  import time

  SIZE = 5 * 1024 * 1024

  def late_put(queue):
      time.sleep(0.3)
      queue.put(bytes(SIZE))

  def late_recv(conn):
      time.sleep(0.3)
      conn.recv_bytes()

  if __name__ == "__main__":
      queue = mp.Queue()
      putter = mp.Process(target=late_put, args=(queue,))
      putter.start()
      print(len(queue.get()))
      putter.join()
      reader, writer = mp.Pipe(duplex=False)
      receiver = mp.Process(target=late_recv, args=(reader,))
      receiver.start()
      writer.send_bytes(bytes(SIZE))
      receiver.join()
      print("sent")
`;

// What the learner sees when a call fails must not change: exceptions, messages, tracebacks.
const FAILURES = `
  import multiprocessing as mp
  import queue
  import traceback

  def show():
      text = traceback.format_exc().replace(__file__, "<file>")
      print(text)

  if __name__ == "__main__":
      q = mp.Queue(maxsize=1)
      try:
          q.get(timeout=0.05)
      except queue.Empty:
          show()
      q.put_nowait(1)
      try:
          q.put_nowait(2)
      except queue.Full:
          show()
      print(q.get(timeout=5))
      a, b = mp.Pipe()
      b.close()
      try:
          a.recv()
      except EOFError:
          show()
      try:
          a.send(lambda: None)
      except Exception:
          show()
      q.put(lambda: None)  # pickled by the feeder thread, which prints the error
      q.close()
      q.join_thread()
      print("done")
`;

/** Object addresses differ between any two runs; every other byte must match. */
function withoutAddresses(text: string): string {
  return text.replace(/0x[0-9a-f]+/g, '0x...');
}

function assertTransparent(traced: TracedRun, untraced: { stdout: string; stderr: string; exitCode: number | null }): void {
  assert.equal(withoutAddresses(traced.stdout), withoutAddresses(untraced.stdout));
  assert.equal(withoutAddresses(traced.stderr), withoutAddresses(untraced.stderr));
  assert.equal(traced.exitCode, untraced.exitCode);
}

function onChannel(events: IpcEvent[], channel: string, op?: IpcEvent['op'], pid?: number): IpcEvent[] {
  return events.filter((e) => e.channel === channel && (op === undefined || e.op === op) && (pid === undefined || e.pid === pid));
}

function assertQueueSample(run: TracedRun): void {
  assert.equal(run.stdout, 'soup is ready\n');
  const events = learnerIpcEventsOf(run.records);
  assert.deepEqual(events.map((e) => e.op), ['put', 'get'], JSON.stringify(events));
  const [put, get] = events;
  assert.equal(put.channel, get.channel, 'one channel id in both processes');
  assert.notEqual(put.pid, get.pid);
  assert.equal(rolesOf(run.records).get(put.pid), 'process', 'the child puts');
  assert.equal(get.pid, run.pid, 'the main gets');
  assert.ok(put.bytes > 0);
  assert.equal(put.bytes, get.bytes);
  assert.ok(put.endpoint === 0 && get.endpoint === 0);
  const site = sitesOf(run.records);
  const source = readFileSync(QUEUE_SAMPLE, 'utf8');
  assert.deepEqual(site(get.pid, get.site), { file: QUEUE_SAMPLE, line: lineOf(source, 'orders.get()'), function: '<module>' });
  assert.deepEqual(site(put.pid, put.site), { file: QUEUE_SAMPLE, line: lineOf(source, 'orders.put('), function: 'cook' });
  const seen = channelsOf(run.records).filter((c) => c.channel === get.channel);
  assert.deepEqual(seen.map((c) => c.pid).sort(), [put.pid, get.pid].sort(), 'announced once in each process');
  for (const channel of seen) assert.deepEqual([channel.kind, channel.api, channel.internal], ['queue', 'Queue', false]);
  const created = seen.find((c) => c.pid === run.pid);
  assert.equal(site(run.pid, created?.site ?? null)?.line, lineOf(source, 'orders = Queue()'), 'created where the main made it');
}

function assertPingPong(run: TracedRun, file: string): void {
  const pickled = Number(/pickled size (\d+)/.exec(run.stdout)?.[1]);
  assert.ok(pickled > 1000, run.stdout);
  assert.match(run.stdout, /child exit 0\n$/);
  const events = learnerIpcEventsOf(run.records);
  const channels = new Set(events.map((e) => e.channel));
  assert.equal(channels.size, 1, 'one pipe');
  const [channel] = channels;
  const child = events.find((e) => e.pid !== run.pid)?.pid ?? -1;
  const mainSends = onChannel(events, channel, 'send', run.pid);
  const mainRecvs = onChannel(events, channel, 'recv', run.pid);
  const childSends = onChannel(events, channel, 'send', child);
  const childRecvs = onChannel(events, channel, 'recv', child);
  const exact = Array.from({ length: 20 }, (_, i) => 100 + i);
  assert.deepEqual(mainSends.map((e) => e.bytes), [...exact, ...Array<number>(20).fill(pickled), 7]);
  assert.deepEqual(childRecvs.map((e) => e.bytes), [...exact, ...Array<number>(20).fill(pickled), 7]);
  assert.deepEqual(childSends.map((e) => e.bytes), [...exact.map((n) => n + 1), ...Array<number>(20).fill(pickled), 7]);
  assert.deepEqual(mainRecvs.map((e) => e.bytes), [...exact.map((n) => n + 1), ...Array<number>(20).fill(pickled), 7]);
  assert.ok([...mainSends, ...mainRecvs].every((e) => e.endpoint === 0), "the main's end is end 0");
  assert.ok([...childSends, ...childRecvs].every((e) => e.endpoint === 1), "the child's end is end 1");
  assert.equal(events.length, 4 * 41);
  for (const e of events) assert.ok(e.waitMs >= 0 && e.t > 0);
  const site = sitesOf(run.records);
  const source = readFileSync(file, 'utf8');
  assert.equal(site(run.pid, mainSends[0].site)?.line, lineOf(source, 'here.send_bytes(b"x"'));
  assert.equal(site(child, childRecvs[0].site)?.line, lineOf(source, 'data = conn.recv_bytes()'));
  const announced = channelsOf(run.records).filter((c) => c.channel === channel);
  assert.deepEqual(announced.map((c) => c.pid).sort(), [run.pid, child].sort());
  for (const c of announced) assert.deepEqual([c.kind, c.api, c.internal], ['pipe', 'Pipe', false]);
}

describe('Python tracer: messages', function () {
  this.timeout(60000);
  this.slow(5000);

  for (const method of START_METHODS) {
    it(`reports the Queue sample's one put and one get on one channel under ${method}`, async () => {
      assertQueueSample(await runTraced(QUEUE_SAMPLE, { startMethod: method }));
    });
  }

  for (const version of ['3.8', '3.13']) {
    for (const method of ['fork', 'spawn'] as StartMethod[]) {
      itWithPython(version, `reports the Queue sample and a Pipe ping-pong on Python ${version} under ${method}`, async (python) => {
        assertQueueSample(await runTraced(QUEUE_SAMPLE, { python, startMethod: method }));
        const file = writeProgram('ping_pong.py', PING_PONG);
        assertPingPong(await runTraced(file, { python, startMethod: method }), file);
      });
    }
  }

  for (const method of START_METHODS) {
    it(`counts and sizes every message of a Pipe ping-pong exactly under ${method}`, async () => {
      const file = writeProgram('ping_pong.py', PING_PONG);
      const [traced, untraced] = await Promise.all([runTraced(file, { startMethod: method }), runUntraced(file)]);
      assertPingPong(traced, file);
      assertTransparent(traced, untraced);
    });
  }

  for (const method of START_METHODS) {
    it(`reports SimpleQueue and JoinableQueue messages under ${method}`, async () => {
      const file = writeProgram('simple_and_joinable.py', SIMPLE_AND_JOINABLE);
      const [run, untraced] = await Promise.all([runTraced(file, { startMethod: method }), runUntraced(file)]);
      assertTransparent(run, untraced);
      assert.equal(run.stdout, "['one', 'two', 'three']\njoined\n");
      const channels = channelsOf(run.records).filter((c) => c.pid === run.pid && !c.internal);
      const simple = channels.find((c) => c.api === 'SimpleQueue');
      const joinable = channels.find((c) => c.api === 'JoinableQueue');
      assert.ok(simple && joinable, JSON.stringify(channels));
      assert.equal(simple.kind, 'queue');
      assert.equal(joinable.kind, 'queue');
      const events = learnerIpcEventsOf(run.records);
      const simplePuts = onChannel(events, simple.channel, 'put');
      const simpleGets = onChannel(events, simple.channel, 'get', run.pid);
      assert.equal(simplePuts.length, 3);
      assert.ok(simplePuts.every((e) => e.pid !== run.pid));
      assert.deepEqual(simpleGets.map((e) => e.bytes), simplePuts.map((e) => e.bytes));
      const joinablePuts = onChannel(events, joinable.channel, 'put', run.pid);
      const joinableGets = onChannel(events, joinable.channel, 'get');
      assert.equal(joinablePuts.length, 5);
      assert.equal(joinableGets.length, 5);
      assert.ok(joinableGets.every((e) => e.pid !== run.pid));
      assert.deepEqual(joinableGets.map((e) => e.bytes), joinablePuts.map((e) => e.bytes));
      assert.ok([...simplePuts, ...joinablePuts].every((e) => e.bytes > 0 && e.endpoint === 0));
    });
  }

  for (const method of START_METHODS) {
    it(`reports a 5 MB message's size and the time its receiver or sender blocked under ${method}`, async () => {
      const file = writeProgram('large_payload.py', LARGE_PAYLOAD);
      const run = await runTraced(file, { startMethod: method });
      const size = 5 * 1024 * 1024;
      assert.equal(run.stdout, `${size}\nsent\n`);
      const events = learnerIpcEventsOf(run.records);
      const put = events.find((e) => e.op === 'put');
      const get = events.find((e) => e.op === 'get');
      assert.ok(put && get);
      assert.ok(put.bytes > size && put.bytes < size + 64, `pickled bytes ${put.bytes}`);
      assert.equal(get.bytes, put.bytes);
      assert.ok(get.waitMs >= 250, `the main waited for the late put: ${get.waitMs} ms`);
      assert.ok(put.waitMs < 100, 'a put into an unbounded queue does not block');
      const send = events.find((e) => e.op === 'send');
      const recv = events.find((e) => e.op === 'recv');
      assert.ok(send && recv);
      assert.equal(send.bytes, size);
      assert.equal(recv.bytes, size);
      assert.ok(send.waitMs >= 250, `the send blocked until the late reader drained the pipe: ${send.waitMs} ms`);
      assert.ok(recv.t >= send.t - 50, 'the message arrives about when the send returns');
    });
  }

  it('keeps exceptions, messages and tracebacks of failing calls unchanged', async () => {
    const file = writeProgram('failures.py', FAILURES);
    const [traced, untraced] = await Promise.all([runTraced(file, { startMethod: 'fork' }), runUntraced(file)]);
    assertTransparent(traced, untraced);
    for (const name of ['Empty', 'Full', 'EOFError']) assert.match(traced.stdout, new RegExp(`\\b${name}\\b`));
    assert.match(traced.stderr, /lambda/, "the feeder thread's pickling error");
    assert.doesNotMatch(traced.stdout + traced.stderr, /parallel_lab_tracer/);
    // The object the feeder could not pickle never reached the pipe: no put for it.
    const puts = learnerIpcEventsOf(traced.records).filter((e) => e.op === 'put');
    assert.equal(puts.length, 1, JSON.stringify(puts));
  });

  itWithPython('3.13', 'runs the same failing calls on Python 3.13 with unchanged tracebacks', async (python) => {
    const file = writeProgram('failures.py', FAILURES);
    const [traced, untraced] = await Promise.all([runTraced(file, { python, startMethod: 'fork' }), runUntraced(file, python)]);
    assertTransparent(traced, untraced);
  });

  it(`prints the same with ${DEFAULT_PYTHON} traced and untraced for the large payload program`, async () => {
    const file = writeProgram('large_payload.py', LARGE_PAYLOAD);
    const [traced, untraced] = await Promise.all([runTraced(file), runUntraced(file)]);
    assertTransparent(traced, untraced);
  });
});
