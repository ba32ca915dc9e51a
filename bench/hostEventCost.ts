// The host's CPU time per traced event: what parsing and merging one task, one message or
// one lock cycle costs the Node process that runs the engine, on the same cores as the
// learner's program. A Python program speaks the tracer's wire protocol itself and sends
// events shaped and batched as the tracer sends them (a pool worker's task on a line of its
// own, messages and lock cycles in batches); the host's CPU over the whole run, less that of
// the same run with no events, divided by the events.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../src/extension/engine/run/profileRun';
import { TRACER_PROTOCOL_VERSION } from '../src/extension/engine/tracer/tracerProtocol';
import { measured, median } from './measure';

export type EventKind = 'task' | 'message' | 'lock cycle';

const SENDER = `
import json, os, socket, sys, time

kind, count = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX)
s.connect(os.environ["PARALLEL_LAB_SOCKET"])
pid = os.getpid()

def send(record):
    s.sendall((json.dumps(record, separators=(",", ":")) + "\\n").encode())

send({"type": "hello", "v": ${TRACER_PROTOCOL_VERSION}, "token": os.environ["PARALLEL_LAB_TOKEN"], "pid": pid, "t": (time.monotonic_ns() - int(os.environ["PARALLEL_LAB_T0_NS"])) / 1e6})
send({"type": "site", "pid": pid, "id": 0, "file": __file__, "line": 1, "function": "work"})
BATCH = 256
if kind == "task":
    # A worker sends each task as it ends; the parent its submits in batches.
    for i in range(count):
        send({"type": "task-batch", "pid": pid, "events": [["1:0", "square", 1, i * 0.01 + 0.002, i * 0.01 + 0.005, True, None, "1:0:0:%d" % i]]})
    for start in range(0, count, BATCH):
        send({"type": "task-submit", "pid": pid, "events": [["1:0:0:%d" % i, i * 0.01, 0] for i in range(start, min(count, start + BATCH))]})
elif kind == "message":
    send({"type": "channel-new", "pid": pid, "channel": "1:0", "kind": "queue", "api": "Queue", "internal": False, "site": 0})
    for start in range(0, count, BATCH):
        send({"type": "ipc-batch", "pid": pid, "events": [["put" if i % 2 == 0 else "get", "1:0", i % 2, i * 0.01, 0.001, 26, 0] for i in range(start, min(count, start + BATCH))]})
else:
    send({"type": "lock-new", "pid": pid, "lock": "L", "kind": "Lock", "api": "Lock", "internal": False, "site": 0})
    for start in range(0, count, BATCH):
        send({"type": "lock-batch", "pid": pid, "events": [[pid, "L", i * 0.01, i * 0.01 + 0.002, i * 0.01 + 0.005, 0] for i in range(start, min(count, start + BATCH))]})
s.close()
`;

export const EVENTS_PER_RUN = 100_000;
const REPEATS = 5;

export interface HostEventCost {
  kind: EventKind;
  /** Host CPU per event, in µs. */
  cpuUs: number;
}

async function hostCpuMs(file: string, kind: EventKind, count: number): Promise<number> {
  const { cost } = await measured(async () => (await ProfileRun.start({ file, args: [kind.split(' ')[0], String(count)] })).finished);
  return cost.cpuMs;
}

export async function measureHostEventCost(): Promise<HostEventCost[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-host-events-')), 'sender.py');
  writeFileSync(file, SENDER);
  const results: HostEventCost[] = [];
  for (const kind of ['task', 'message', 'lock cycle'] as const) {
    const perEvent: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const empty = await hostCpuMs(file, kind, 0);
      const full = await hostCpuMs(file, kind, EVENTS_PER_RUN);
      perEvent.push(((full - empty) / EVENTS_PER_RUN) * 1000);
    }
    results.push({ kind, cpuUs: median(perEvent) });
  }
  return results;
}

export function hostEventCostMarkdown(rows: readonly HostEventCost[]): string[] {
  return [
    '## Host CPU per traced event',
    '',
    `The Node process running the engine, for a run whose program sends ${EVENTS_PER_RUN.toLocaleString('en')} events of one kind over`,
    'the event socket, shaped and batched as the tracer sends them: a task on a line of its own (a pool',
    "worker hands over each task's record before its result) with its submit batched in the parent,",
    'messages and lock cycles in batches of 256. Host CPU (`process.cpuUsage()`) of the whole run, less',
    `that of the same run with no events, over the events; medians of ${REPEATS} runs.`,
    '',
    '| event | host CPU per event |',
    '|---|---|',
    ...rows.map((row) => `| ${row.kind} | ${row.cpuUs.toFixed(2)} µs |`),
    '',
  ];
}

if (require.main === module) {
  void measureHostEventCost().then((rows) => rows.forEach((row) => console.log(`${row.kind}: ${row.cpuUs.toFixed(2)} µs of host CPU per event`)));
}
