// CPU % and resident memory of each process of a tick, from pidusage (which asks ps or WMI),
// where there is no /proc. On Linux the process table reads the same fields from the
// /proc/PID/stat line it reads anyway (linuxProcessTable.ts): through pidusage, which reads
// every file again, a tick would cost several times its budget (BENCHMARKS.md).
//
// pidusage's own CPU % divides by an elapsed time it reads from the platform: whole
// seconds on macOS (ps etime) and Windows, 10 ms steps on Linux (/proc/uptime). At 100 ms
// ticks that reads 0 % most of the time, or more than 100 %. So only its CPU time is
// taken, and the CPU % is that time's growth over the host's own clock between two reads.

import pidusage from 'pidusage';

/** The process a pid named when it was read: pidusage keeps its history by pid. */
export interface KeyedPid {
  pid: number;
  key: string;
}

export interface ProcessUsage {
  /** % of ONE core since the previous tick; 0 on the first tick that sees the process. */
  cpu: number;
  /** CPU time (user + system) used so far. */
  cpuTimeMs: number;
  rssBytes: number;
}

interface CpuTimeReading {
  key: string;
  cpuTimeMs: number;
  /** performance.now() when it was read. */
  atMs: number;
}

/** pidusage over all pids of the tick at once. */
export class PidusageMeter {
  /** The process each pid named when pidusage last read it (pidusage keeps history by pid). */
  private readonly keys = new Map<number, string>();
  private previous = new Map<number, CpuTimeReading>();

  async read(found: KeyedPid[]): Promise<Map<number, ProcessUsage>> {
    this.forgetReusedPids(found);
    const pids = found.map(({ pid }) => pid);
    const usage = new Map<number, ProcessUsage>();
    const readings = new Map<number, CpuTimeReading>();
    if (pids.length === 0) {
      this.previous = readings;
      return usage;
    }
    const keep = (pid: number, stat: pidusage.Status | undefined, atMs: number): void => {
      if (stat === undefined) {
        return;
      }
      const key = this.keys.get(pid) ?? '';
      const before = this.previous.get(pid);
      const elapsedMs = before?.key === key ? atMs - before.atMs : 0;
      const cpu = before !== undefined && elapsedMs > 0 ? Math.max(0, ((stat.ctime - before.cpuTimeMs) / elapsedMs) * 100) : 0;
      usage.set(pid, { cpu, cpuTimeMs: stat.ctime, rssBytes: stat.memory });
      readings.set(pid, { key, cpuTimeMs: stat.ctime, atMs });
    };
    try {
      // Where pidusage reads /proc, a vanished pid is a hole in the result; but a batch of
      // one rejects, and so does a batch on the `ps` and wmic platforms.
      const stats: Partial<Record<string, pidusage.Status>> = await pidusage(pids);
      const atMs = performance.now();
      pids.forEach((pid) => keep(pid, stats[pid], atMs));
    } catch {
      const settled = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
      const atMs = performance.now();
      settled.forEach((result, i) => keep(pids[i], result.status === 'fulfilled' ? result.value : undefined, atMs));
    }
    this.previous = readings;
    return usage;
  }

  /**
   * pidusage keeps, per pid, the CPU time of its last read and (on Linux) the open
   * /proc/PID/stat of that process: a reused pid would be read as the old, dead process
   * for as long as the history lives. Its only way to drop history is clear(), for all
   * pids; it does not close the files it held, which costs a few descriptors each time a
   * pid is reused during a run (it takes the pid counter wrapping around).
   */
  private forgetReusedPids(found: KeyedPid[]): void {
    let reused = false;
    for (const { pid, key } of found) {
      const known = this.keys.get(pid);
      reused ||= known !== undefined && known !== key;
      this.keys.set(pid, key);
    }
    if (reused) {
      pidusage.clear();
    }
  }
}
