// How busy each logical core was between two readings of the per-CPU time counters: on
// Linux one read of /proc/stat, elsewhere os.cpus().

import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseProcStatCpuTimes, type CpuTimes } from './linux/linuxProcStat';

/** Busy percent of each core from `previous` to `current`; 0 for a core missing from either. */
export function coreBusyPercent(
  previous: ReadonlyArray<CpuTimes | undefined>,
  current: ReadonlyArray<CpuTimes | undefined>,
): number[] {
  const usage: number[] = [];
  for (let core = 0; core < current.length; core++) {
    const before = previous[core];
    const after = current[core];
    const elapsed = before && after ? after.total - before.total : 0;
    // elapsed <= 0: no tick of this core passed (or it went offline and back): report idle.
    const busy = before && after && elapsed > 0 ? ((after.busy - before.busy) / elapsed) * 100 : 0;
    usage.push(Math.min(100, Math.max(0, busy)));
  }
  return usage;
}

/** Each reading reports the usage since the one before; the first has nothing to compare. */
export class CoreUsageMeter {
  private previous: Array<CpuTimes | undefined> | null = null;

  next(cpus: Array<CpuTimes | undefined>): number[] {
    const usage = this.previous === null ? [] : coreBusyPercent(this.previous, cpus);
    this.previous = cpus;
    return usage;
  }
}

/** Cumulative times of each logical CPU, indexed by CPU number (holes for offline ones). */
export class CpuTimesReader {
  private procStat: ProcStatFile | null = null;

  read(): Array<CpuTimes | undefined> {
    if (process.platform === 'linux') {
      try {
        this.procStat ??= new ProcStatFile();
        return this.procStat.read();
      } catch {
        // A sandbox without /proc: os.cpus() reads the same counters, only more slowly.
      }
    }
    return os.cpus().map(({ times }) => {
      const total = times.user + times.nice + times.sys + times.idle + times.irq;
      return { busy: total - times.idle, total };
    });
  }

  close(): void {
    this.procStat?.close();
    this.procStat = null;
  }
}

/** A cpuN line is at most ~220 bytes (ten 20-digit counters). */
const BYTES_PER_CPU_LINE = 256;

/** /proc/stat kept open: a pread at offset 0 regenerates it, without open and close each tick. */
class ProcStatFile {
  private readonly fd = fs.openSync('/proc/stat', 'r');
  // The cpu lines come first; the rest (interrupt counts, several KB) is not needed.
  private readonly buffer = Buffer.alloc((os.cpus().length + 2) * BYTES_PER_CPU_LINE);

  read(): Array<CpuTimes | undefined> {
    return parseProcStatCpuTimes(this.buffer, fs.readSync(this.fd, this.buffer, 0, this.buffer.length, 0));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
