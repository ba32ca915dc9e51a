// The host's memory for a run of a million lock events (target: at most 200 MB RSS).

import { execFile } from 'node:child_process';
import * as path from 'node:path';

export interface HostMemoryResult {
  lockEvents: number;
  truncated: boolean;
  peakRssMb: number;
  heapUsedMb: number;
  baselinePeakRssMb: number;
}

function runChild(events: number): Promise<Omit<HostMemoryResult, 'baselinePeakRssMb'>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'hostMemoryChild.js'), String(events)], { maxBuffer: 1 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')),
    );
  });
}

export async function measureHostMemory(events = 1_000_000): Promise<HostMemoryResult> {
  const baseline = await runChild(0);
  const loaded = await runChild(events);
  return { ...loaded, baselinePeakRssMb: baseline.peakRssMb };
}
