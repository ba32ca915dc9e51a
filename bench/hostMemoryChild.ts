// Run in its own Node process by hostMemoryBench.ts, so that its peak RSS is the host's
// cost of one run whose program reports a given number of lock events.
//
// After the run it does what a user's run goes on to do with the record, in one of two ways
// (the second argument), and reports the peak again:
//   cli    what `parallel-lab run FILE --json OUT` does: write the record, print the summary;
//   store  what the extension does after every run: save it in its run store (RunStore),
//          which also lists the saved runs to prune the oldest.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeJsonFile } from '../src/extension/engine/storage/jsonFile';
import { ProfileRun } from '../src/extension/engine/run/profileRun';
import { TRACER_PROTOCOL_VERSION } from '../src/extension/engine/tracer/tracerProtocol';
import { RunStore } from '../src/extension/engine/storage/runStore';
import { formatSummary } from '../src/extension/engine/export/summary';

export type SaveMode = 'cli' | 'store';

export interface HostMemoryChildResult {
  lockEvents: number;
  truncated: boolean;
  /** Peak RSS once the run has finished: the engine alone. */
  peakRssMb: number;
  /** Peak RSS once the record was also saved (the process's peak, so at least the run's). */
  savedPeakRssMb: number;
  heapUsedMb: number;
}

// The program speaks the tracer's wire protocol itself: what is measured is the host's
// handling of the events, not how fast Python can take locks.
const PROGRAM = `
import json, os, socket, sys, time

events = int(sys.argv[1])
s = socket.socket(socket.AF_UNIX)
s.connect(os.environ["PARALLEL_LAB_SOCKET"])
send = s.sendall
send((json.dumps({"type": "hello", "v": ${TRACER_PROTOCOL_VERSION}, "token": os.environ["PARALLEL_LAB_TOKEN"], "pid": os.getpid(), "t": (time.monotonic_ns() - int(os.environ["PARALLEL_LAB_T0_NS"])) / 1e6}) + "\\n").encode())
pid = os.getpid()
for n in range(10):
    send((json.dumps({"type": "lock-new", "pid": pid, "lock": "L%d" % n, "kind": "Lock", "api": "Lock", "internal": False, "site": None}) + "\\n").encode())
batch = 500
for start in range(0, events, batch):
    cycles = [[1, "L%d" % (i % 10), i * 0.01, i * 0.01 + 0.002, i * 0.01 + 0.005, None] for i in range(start, min(events, start + batch))]
    send((json.dumps({"type": "lock-batch", "pid": pid, "events": cycles}) + "\\n").encode())
s.close()
`;

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2]);
  const mode = process.argv[3] as SaveMode;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-memory-'));
  const file = path.join(folder, 'many_locks.py');
  writeFileSync(file, PROGRAM);
  const record = await (await ProfileRun.start({ file, args: [String(events)] })).finished;
  const peakRunMb = peakRssMb();
  if (mode === 'cli') {
    await writeJsonFile(path.join(folder, 'many_locks.json'), record);
    formatSummary(record);
  } else {
    await new RunStore(path.join(folder, 'runs'), () => 10).save(record);
  }
  const result: HostMemoryChildResult = {
    lockEvents: record.lockEvents.length,
    truncated: record.truncated,
    peakRssMb: peakRunMb,
    savedPeakRssMb: peakRssMb(),
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
