// Percent busy of each logical core between two readings: /proc/stat on Linux (per-CPU
// counters in clock ticks), os.cpus() elsewhere (the same counters in ms).

import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseProcStatCpuTimes, type CpuTimes } from './linuxProcStat';

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
  private procStat: ProcStatFile | null = null;

  read(): number[] {
    const current = this.readCpuTimes();
    const usage = this.previous === null ? [] : coreBusyPercent(this.previous, current);
    this.previous = current;
    return usage;
  }

  close(): void {
    this.procStat?.close();
    this.procStat = null;
  }

  private readCpuTimes(): Array<CpuTimes | undefined> {
    if (process.platform === 'linux') {
      try {
        this.procStat ??= new ProcStatFile();
        return parseProcStatCpuTimes(this.procStat.readCpuLines());
      } catch {
        // A sandbox without /proc: os.cpus() reads the same counters, only more slowly.
      }
    }
    return os.cpus().map(({ times }) => {
      const total = times.user + times.nice + times.sys + times.idle + times.irq;
      return { busy: total - times.idle, total };
    });
  }
}

/** A cpuN line is at most ~220 bytes (ten 20-digit counters). */
const BYTES_PER_CPU_LINE = 256;

/** /proc/stat kept open: a pread at offset 0 regenerates it, without open and close each tick. */
class ProcStatFile {
  private readonly fd = fs.openSync('/proc/stat', 'r');
  // The cpu lines come first; the rest (interrupt counts, several KB) is not needed.
  private readonly buffer = Buffer.alloc((os.cpus().length + 2) * BYTES_PER_CPU_LINE);

  /** The complete lines at the start of /proc/stat, which hold every cpu line. */
  readCpuLines(): string {
    const bytes = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    const text = this.buffer.toString('latin1', 0, bytes);
    return text.slice(0, text.lastIndexOf('\n') + 1);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
