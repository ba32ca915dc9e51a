// The host's memory for a run of a million lock events (target: at most 200 MB RSS), for the
// run alone and for the run with its record saved as the command line and the extension
// save it (see hostMemoryChild.ts).

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { HostMemoryChildResult, SaveMode } from './hostMemoryChild';

export interface HostMemoryResult {
  lockEvents: number;
  truncated: boolean;
  /** The engine alone: peak RSS once the run has finished. */
  peakRssMb: number;
  /** The run, then `--json` written and the summary printed, as the command line does. */
  cliSavedPeakRssMb: number;
  /** The run, then saved in the extension's run store. */
  storeSavedPeakRssMb: number;
  /** JS heap in use at the end of the command line's way. */
  heapUsedMb: number;
  /** The same for a run that reports no lock events. */
  baselinePeakRssMb: number;
  baselineCliSavedPeakRssMb: number;
}

function runChild(events: number, mode: SaveMode): Promise<HostMemoryChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'hostMemoryChild.js'), String(events), mode], { maxBuffer: 1 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')),
    );
  });
}

export async function measureHostMemory(events = 1_000_000): Promise<HostMemoryResult> {
  const baseline = await runChild(0, 'cli');
  const cli = await runChild(events, 'cli');
  const store = await runChild(events, 'store');
  return {
    lockEvents: cli.lockEvents,
    truncated: cli.truncated,
    peakRssMb: cli.peakRssMb,
    cliSavedPeakRssMb: cli.savedPeakRssMb,
    storeSavedPeakRssMb: store.savedPeakRssMb,
    heapUsedMb: cli.heapUsedMb,
    baselinePeakRssMb: baseline.peakRssMb,
    baselineCliSavedPeakRssMb: baseline.savedPeakRssMb,
  };
}
