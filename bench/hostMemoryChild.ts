// Run in its own Node process by hostMemoryBench.ts, so that its peak RSS is the host's
// cost of one run whose program reports a given number of lock events.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../src/extension/engine/profileRun';

// The program speaks the tracer's wire protocol itself: what is measured is the host's
// handling of the events, not how fast Python can take locks.
const PROGRAM = `
import json, os, socket, sys

events = int(sys.argv[1])
s = socket.socket(socket.AF_UNIX)
s.connect(os.environ["PARALLEL_LAB_SOCKET"])
send = s.sendall
send((json.dumps({"type": "hello", "token": os.environ["PARALLEL_LAB_TOKEN"], "pid": os.getpid()}) + "\\n").encode())
pid = os.getpid()
for n in range(10):
    send((json.dumps({"type": "lock-new", "pid": pid, "lock": "L%d" % n, "kind": "Lock", "api": "Lock", "internal": False, "site": None}) + "\\n").encode())
batch = 500
for start in range(0, events, batch):
    cycles = [[1, "L%d" % (i % 10), i * 0.01, i * 0.01 + 0.002, i * 0.01 + 0.005, None] for i in range(start, min(events, start + batch))]
    send((json.dumps({"type": "lock-batch", "pid": pid, "events": cycles}) + "\\n").encode())
s.close()
`;

async function main(): Promise<void> {
  const events = Number(process.argv[2]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-memory-')), 'many_locks.py');
  writeFileSync(file, PROGRAM);
  const record = await (await ProfileRun.start({ file, args: [String(events)] })).finished;
  const result = {
    lockEvents: record.lockEvents.length,
    truncated: record.truncated,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
