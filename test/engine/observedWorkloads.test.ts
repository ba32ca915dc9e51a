// Every task and every message of the workloads the observer-effect benchmark times
// (test/python/observed_workloads.py) is in the run record, through the whole engine:
// 5000 tasks with their items, including a `with Pool()` block that terminates its workers
// the moment the last result arrives, and every Pipe and Queue message with its bytes,
// each send paired with its receipt.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { IpcEvent, LockEventList, RunRecord } from '../../src/shared/runRecord';
import { REPO_ROOT } from '../helpers/pythonPrograms';
import { assertEveryLineAccepted } from '../helpers/records';

const PROGRAM = path.join(REPO_ROOT, 'test/python/observed_workloads.py');
const COUNT = 5000;

async function profile(workload: string): Promise<RunRecord<LockEventList>> {
  const record = await (await ProfileRun.start({ file: PROGRAM, args: [workload, String(COUNT)] })).finished;
  assert.equal(record.exitCode, 0, record.stderr);
  assertEveryLineAccepted(record);
  assert.equal(record.truncated, false);
  return record;
}

function assertEveryTask(record: RunRecord<LockEventList>): void {
  const tasks = record.tasks.filter((task) => task.fn === 'square');
  assert.equal(tasks.length, COUNT, `${tasks.length} of ${COUNT} tasks recorded`);
  assert.ok(tasks.every((task) => task.items === 1 && task.ok), 'each task one item, each returned');
  const workers = new Set(tasks.map((task) => task.pid));
  assert.equal(workers.size, 2, `tasks ran in the 2 workers: ${[...workers].join(', ')}`);
  const mainPid = record.processes.find((p) => p?.role === 'main')?.pid;
  assert.ok(!workers.has(mainPid!), 'no task is put on the main process');
  const submitted = tasks.filter((task) => task.submitMs !== undefined && task.submitMs <= task.startMs);
  assert.equal(submitted.length, COUNT, 'each task paired with its submit, before it started');
}

/** The learner's messages on `api` channels, by process and op. */
function messagesOf(record: RunRecord<LockEventList>, api: string): IpcEvent[] {
  const channels = new Set(record.channels.filter((channel) => channel.api === api && !channel.internal).map((channel) => channel.id));
  return record.ipcEvents.filter((event) => channels.has(event.channel));
}

/**
 * The main process sends COUNT round trips, one warm-up and a stop: COUNT + 2 messages one
 * way, COUNT + 1 back. Every message is there with its bytes, and each sent one is paired
 * with its receipt, bytes equal.
 */
function assertEveryMessage(record: RunRecord<LockEventList>, api: string, send: 'send' | 'put', receive: 'recv' | 'get'): void {
  const messages = messagesOf(record, api);
  const mainPid = record.processes.find((p) => p?.role === 'main')?.pid;
  const count = (op: string, inMain: boolean): number => messages.filter((m) => m.op === op && (m.pid === mainPid) === inMain).length;
  assert.deepEqual(
    { sentByMain: count(send, true), receivedByWorker: count(receive, false), sentByWorker: count(send, false), receivedByMain: count(receive, true) },
    { sentByMain: COUNT + 2, receivedByWorker: COUNT + 2, sentByWorker: COUNT + 1, receivedByMain: COUNT + 1 },
  );
  assert.ok(messages.every((m) => m.bytes > 0), 'every message has its size');
  const byMessage = new Map<string, IpcEvent[]>();
  for (const m of messages) {
    assert.ok(m.message, `a ${m.op} at ${m.t} ms is paired`);
    byMessage.set(m.message, [...(byMessage.get(m.message) ?? []), m]);
  }
  assert.equal(byMessage.size, 2 * COUNT + 3);
  for (const pair of byMessage.values()) {
    assert.equal(pair.length, 2);
    assert.equal(pair[0].bytes, pair[1].bytes, 'a message has the same size sent and received');
  }
}

describe('every task and message of the observed workloads (engine, real processes)', function () {
  this.timeout(120_000);

  it(`Pool(2).map over ${COUNT} items, chunksize 1, in a with block`, async () => {
    assertEveryTask(await profile('pool_map'));
  });

  it(`${COUNT} ProcessPoolExecutor(2).submit calls and their results`, async () => {
    const record = await profile('executor_submit');
    assertEveryTask(record);
    // Its threads wake its manager thread through a pipe, in one process: not a message.
    assert.deepEqual(record.channels.map((channel) => channel.api).sort(), ['Queue', 'SimpleQueue']);
  });

  it(`${COUNT} round trips over a Pipe`, async () => {
    assertEveryMessage(await profile('pipe_round_trips'), 'Pipe', 'send', 'recv');
  });

  it(`${COUNT} round trips over a Queue`, async () => {
    assertEveryMessage(await profile('queue_round_trips'), 'Queue', 'put', 'get');
  });
});
