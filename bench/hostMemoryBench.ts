// The host's memory for a run of a million lock events (target: at most 200 MB RSS), for the
// run alone and for the run with its record saved as the command line and the extension
// save it (see hostMemoryChild.ts).

import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
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
  /** The command line's way for a run that reports no lock events. */
  baselineCliSavedPeakRssMb: number;
}

async function runChild(events: number, mode: SaveMode): Promise<HostMemoryChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'hostMemoryChild.js'), String(events), mode], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as HostMemoryChildResult;
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
    baselineCliSavedPeakRssMb: baseline.savedPeakRssMb,
  };
}

const TARGET_MB = 200;

/** The BENCHMARKS.md section. */
export function hostMemoryMarkdown(memory: HostMemoryResult): string[] {
  const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');
  const rows: Array<[string, number]> = [
    ['the run alone (the engine)', memory.peakRssMb],
    ['the run, then `--json` written and the summary printed (the command line)', memory.cliSavedPeakRssMb],
    ['the run, then saved in the run store (the extension)', memory.storeSavedPeakRssMb],
  ];
  const missed = rows.filter(([, mb]) => mb > TARGET_MB);
  return [
    `## Host memory at a million lock events (target: at most ${TARGET_MB} MB RSS)`,
    '',
    'Peak resident memory of a Node process that profiles one run whose program reports',
    `${memory.lockEvents.toLocaleString('en')} lock cycles over the event socket, and then does with the record what a user's`,
    'run does: the command line writes it (`--json`) and prints its summary; the extension saves it',
    'in its run store, which then lists the saved runs to prune the oldest. Each way is a fresh',
    'process; the run alone is its peak before the record is saved.',
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| peak RSS, empty run, record written and summary printed (baseline) | ${memory.baselineCliSavedPeakRssMb.toFixed(0)} MB | – |`,
    ...rows.map(([what, mb]) => `| peak RSS, 1 million lock events: ${what} | ${mb.toFixed(0)} MB | ${verdict(mb <= TARGET_MB)} |`),
    `| JS heap in use at the end (the command line's way) | ${memory.heapUsedMb.toFixed(0)} MB | – |`,
    '',
    'The host keeps lock events as columns (`src/extension/engine/record/lockEventColumns.ts`: a typed',
    'array per field, 48 bytes an event, about 49 MB for the million) and makes an event object',
    'only when something reads it: the record file and the HTML report are written from the',
    "columns 1,000 events at a time, the summary goes through them once to count each lock's",
    'waits and once to gather them, and the run store reads only the first fields of the saved',
    'records it lists. With one object per event (about 136 bytes each) the run alone peaked at',
    '231 MB, with `--json` and the summary at 359 MB, and saved in the run store at 641 MB.',
    '',
    ...(missed.length === 0
      ? []
      : [
          `**Missed** for ${missed.map(([what]) => what).join('; ')}. The floor is the empty run's baseline plus the`,
          'columns (48 bytes × events); what lies above that is made while the record is saved.',
          '',
        ]),
  ];
}
