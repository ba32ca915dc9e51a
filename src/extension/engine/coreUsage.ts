// What the sampler reads about the whole machine on each tick: the per-CPU time counters,
// turned into the percent busy of each logical core between two readings, and the count
// of processes and threads created since boot. On Linux both come from one read of
// /proc/stat; elsewhere the counters come from os.cpus() and the fork count is unknown.

import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseForkCount, parseProcStatCpuTimes, type CpuTimes } from './linuxProcStat';

export interface SystemTimes {
  /** Cumulative times of each logical CPU, indexed by CPU number (holes for offline ones). */
  cpus: Array<CpuTimes | undefined>;
  /** Processes and threads created on the machine since boot; null where unknown. */
  forkCount: number | null;
}

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

export class SystemTimesReader {
  private procStat: ProcStatFile | null = null;

  read(): SystemTimes {
    if (process.platform === 'linux') {
      try {
        this.procStat ??= new ProcStatFile();
        const text = this.procStat.read();
        return { cpus: parseProcStatCpuTimes(text), forkCount: parseForkCount(text) };
      } catch {
        // A sandbox without /proc: os.cpus() reads the same counters, only more slowly.
      }
    }
    const cpus = os.cpus().map(({ times }) => {
      const total = times.user + times.nice + times.sys + times.idle + times.irq;
      return { busy: total - times.idle, total };
    });
    return { cpus, forkCount: null };
  }

  close(): void {
    this.procStat?.close();
    this.procStat = null;
  }
}

/** /proc/stat kept open: a pread at offset 0 regenerates it, without open and close each tick. */
class ProcStatFile {
  private readonly fd = fs.openSync('/proc/stat', 'r');
  // A few KB, most of it the interrupt counts; more on machines with many CPUs or IRQs.
  private buffer = Buffer.alloc(16 * 1024);

  read(): string {
    for (;;) {
      const bytes = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      if (bytes < this.buffer.length) {
        return this.buffer.toString('latin1', 0, bytes);
      }
      this.buffer = Buffer.alloc(this.buffer.length * 2); // cut short: read it whole
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
