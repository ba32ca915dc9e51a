// CPU % and memory of each process of a tick from the listing itself, where the listing
// carries them (Windows: the same Win32_Process fields pidusage would read, through one
// more PowerShell or wmic started on every tick).

import { CpuTimeRate, type CpuTimeReading } from '../cpuTimeRate';
import type { ListedProcess } from './processListing';
import type { ProcessUsage } from './processUsage';

/** Windows counts CPU time in 100 ns units, but adds to it at each clock interrupt (15.6 ms). */
const WINDOWS_CPU_TIME_STEP_MS = 16;

export class ListedUsageMeter {
  private readonly rate = new CpuTimeRate(WINDOWS_CPU_TIME_STEP_MS);

  /** `atMs`: host ms (performance.now()) when the listing was read. */
  read(found: readonly ListedProcess[], atMs: number): Map<number, ProcessUsage> {
    const readings: CpuTimeReading[] = [];
    for (const { pid, key, usage } of found) {
      if (usage !== undefined) readings.push({ pid, key, cpuTimeMs: usage.cpuTimeMs });
    }
    const figures = this.rate.next(readings, atMs);
    const usages = new Map<number, ProcessUsage>();
    for (const { pid, usage } of found) {
      if (usage !== undefined) usages.set(pid, { cpu: figures.get(pid) ?? 0, cpuTimeMs: usage.cpuTimeMs, rssBytes: usage.rssBytes });
    }
    return usages;
  }
}
