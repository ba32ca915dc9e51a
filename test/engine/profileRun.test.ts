// Acceptance tests of the foundation: real Python programs profiled by the engine.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { START_METHODS, type LockEventList, type ProcessEntry, type RunRecord } from '../../src/shared/runRecord';
import { ProfileRun, type RunRequest, type RunState } from '../../src/extension/engine/run/profileRun';
import { isProcessAlive } from '../../src/extension/engine/run/processTree';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { TRACER_PROTOCOL_VERSION } from '../../src/extension/engine/tracer/tracerProtocol';
import { TRACER_DIR } from '../helpers/tracedPython';
import { SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';
import { assertEveryLineAccepted } from '../helpers/records';

const COUNTER = path.join(SAMPLES_DIR, '04-sharing-memory', 'counter.py');

/** `sendsGarbage`: the program writes lines of its own to the event socket, which are refused. */
async function profile(request: RunRequest, sendsGarbage = false): Promise<RunRecord<LockEventList>> {
  const run = await ProfileRun.start(request);
  const record = await run.finished;
  if (!sendsGarbage) assertEveryLineAccepted(record);
  return record;
}

function mainOf(record: RunRecord<LockEventList>): ProcessEntry {
  const main = record.processes.filter((p) => p.role === 'main');
  assert.equal(main.length, 1, `one main process, got ${JSON.stringify(record.processes.map((p) => [p.pid, p.role]))}`);
  return main[0];
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('profiling a run (engine)', function () {
  this.timeout(60_000);

  for (const startMethod of START_METHODS) {
    it(`records the counter example's 11 processes under ${startMethod}`, async () => {
      const record = await profile({ file: COUNTER, startMethod });
      assert.equal(record.stdout, '10\n');
      assert.equal(record.exitCode, 0);
      assert.equal(record.startMethod, startMethod);
      const main = mainOf(record);
      const workers = record.processes.filter((p) => p.role === 'process');
      const pids = new Set([main.pid, ...workers.map((p) => p.pid)]);
      assert.equal(pids.size, 11, 'eleven distinct pids: the main process and ten workers');
      // Under forkserver the workers are forked by the forkserver, itself a child of the main.
      const forkserver = record.processes.find((p) => p.role === 'other' && /forkserver/.test(p.name));
      const parent = startMethod === 'forkserver' ? forkserver?.pid : main.pid;
      if (startMethod === 'forkserver') assert.equal(forkserver?.ppid, main.pid, 'the forkserver is a child of the main process');
      for (const worker of workers) {
        assert.equal(worker.ppid, parent, `worker ${worker.pid} has the right parent`);
        assert.equal(worker.exitCode, 0, `worker ${worker.pid} exit code`);
        assert.ok(worker.endMs !== null && worker.endMs >= worker.startMs, `worker ${worker.pid} has an end time`);
        assert.ok(worker.cpuMs !== null && worker.cpuMs >= 0, `worker ${worker.pid} reported its CPU time`);
        assert.match(worker.name, /Process-\d+/);
      }
      assert.equal(main.exitCode, 0);
    });
  }

  it('samples two CPU-bound children on both cores', async () => {
    const file = writeProgram(
      'burn.py',
      `
      import time
      from multiprocessing import Process

      def burn(seconds):
          end = time.monotonic() + seconds
          while time.monotonic() < end:
              pass

      if __name__ == "__main__":
          children = [Process(target=burn, args=(2.0,)) for _ in range(2)]
          for child in children:
              child.start()
          for child in children:
              child.join()
      `,
    );
    const record = await profile({ file });
    const children = record.processes.filter((p) => p.role === 'process');
    assert.equal(children.length, 2);
    for (const child of children) {
      assert.ok(child.samples.length >= 5, `child ${child.pid} has samples (${child.samples.length})`);
      // The first sample averages from the process's start; the rest are interval deltas.
      const cpu = mean(child.samples.slice(1).map((s) => s.cpu));
      assert.ok(cpu >= 60, `child ${child.pid} mean CPU ${cpu.toFixed(0)} % is at least 60 % of one core`);
    }
    for (const process of record.processes) {
      for (const sample of process.samples) assert.equal(typeof sample.core, 'number', 'every sample carries a core number');
    }
    assert.ok(record.coreSamples.length >= 5);
    const cores = os.cpus().length;
    assert.equal(record.cores, cores);
    const busyAll = record.coreSamples.filter((s) => s.usage.length === cores && s.usage.every((u) => u >= 50));
    assert.ok(busyAll.length >= 3, `both cores busy in several samples (${busyAll.length} of ${record.coreSamples.length})`);
  });

  it('records a child that raised with exit code 1 and its parent with 0', async () => {
    const file = writeProgram(
      'raises.py',
      `
      from multiprocessing import Process

      def fail():
          raise ValueError("on purpose")

      if __name__ == "__main__":
          child = Process(target=fail)
          child.start()
          child.join()
          print("child exit code", child.exitcode)
      `,
    );
    const record = await profile({ file });
    const child = record.processes.find((p) => p.role === 'process');
    assert.ok(child);
    assert.equal(child.exitCode, 1);
    assert.equal(mainOf(record).exitCode, 0);
    assert.equal(record.exitCode, 0);
    assert.match(record.stderr, /ValueError: on purpose/);
  });

  it('drops garbage and wrong-token clients on the event socket and still completes the record', async () => {
    const file = writeProgram(
      'noisy.py',
      `
      import json, os, socket
      from multiprocessing import Process

      def send(lines):
          s = socket.socket(socket.AF_UNIX)
          s.connect(os.environ["PARALLEL_LAB_SOCKET"])
          s.sendall("".join(line + "\\n" for line in lines).encode())
          s.close()

      def work():
          pass

      if __name__ == "__main__":
          token = os.environ["PARALLEL_LAB_TOKEN"]
          send([json.dumps({"type": "hello", "token": "wrong", "pid": 1}), '{"type": "process-start"}'])
          send([json.dumps({"type": "hello", "v": ${TRACER_PROTOCOL_VERSION}, "token": token, "pid": 1, "t": 0}), "not json", '{"type": "nonsense"}',
                '{"type": "process-end", "pid": "x"}', "\\x00\\x01"])
          child = Process(target=work)
          child.start()
          child.join()
          print("done")
      `,
    );
    const record = await profile({ file, startMethod: 'fork' }, true);
    assert.equal(record.stdout, 'done\n');
    assert.ok(record.events.unauthenticated >= 2, `unauthenticated counted: ${record.events.unauthenticated}`);
    assert.ok(record.events.malformed >= 4, `malformed counted: ${record.events.malformed}`);
    assert.ok(record.events.received > 0, 'the tracer still got through');
    const child = record.processes.find((p) => p.role === 'process');
    assert.ok(child, 'the child is in the record');
    assert.equal(child.exitCode, 0);
    assert.equal(child.ppid, mainOf(record).pid);
  });

  it('passes through the states starting, running, finishing, finished, and stopping when stopped', async () => {
    const file = writeProgram('sleeper.py', 'import time\ntime.sleep(30)\n');
    const states: RunState[] = [];
    const run = await ProfileRun.start({ file }, { onState: (state) => states.push(state) });
    await delay(300);
    await run.stop();
    const record = await run.finished;
    assert.deepEqual(states, ['starting', 'running', 'stopping', 'finishing', 'finished']);
    assert.equal(record.outcome, 'stopped');
    assert.equal(isProcessAlive(mainOf(record).pid), false);
  });
});

describe('the event socket', () => {
  it('refuses connections from other users by living in a private folder', async function () {
    if (process.platform === 'win32') this.skip();
    const { EventServer } = await import('../../src/extension/engine/tracer/eventServer');
    const server = await EventServer.open(new RunClock(), () => undefined);
    try {
      const { statSync } = await import('node:fs');
      assert.equal(statSync(path.dirname(server.endpoint)).mode & 0o077, 0, 'folder mode is 0700');
      const socket = net.connect(server.endpoint);
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.destroy();
    } finally {
      await server.close(0);
    }
  });

  it('keeps the records of a process that connected and ended while the host was busy', async function () {
    if (process.platform === 'win32') this.skip();
    const { EventServer } = await import('../../src/extension/engine/tracer/eventServer');
    const names: string[] = [];
    const server = await EventServer.open(new RunClock(), (record) => names.push(record.type === 'process-start' ? record.name : record.type));
    // spawnSync blocks this event loop for the client's whole life, as a loaded extension
    // host might: the connection waits in the listen backlog, never accepted, until close.
    const client = spawnSync(
      'python3',
      [
        '-c',
        `import os, sys
from parallel_lab_tracer import clock, transport, wire
clock.current = clock.RunClock(int(sys.argv[3]))
connection = transport.connect(sys.argv[1], sys.argv[2])
record = {"type": "process-start", "pid": os.getpid(), "ppid": os.getppid(), "t": 1.0, "role": "process", "name": "Quick-1"}
assert connection.send(wire.encode_line(record).encode("ascii"))`,
        server.endpoint,
        server.token,
        server.tracerVariables.PARALLEL_LAB_T0_NS,
      ],
      { env: { ...process.env, PYTHONPATH: TRACER_DIR }, encoding: 'utf8' },
    );
    assert.equal(client.status, 0, client.stderr);
    await server.close();
    assert.deepEqual(names, ['Quick-1']);
    assert.deepEqual(server.counts, { received: 1, malformed: 0, unauthenticated: 0 });
  });
});
