// CPU % and resident memory of each process of a tick, from pidusage (which asks ps or WMI),
// where there is no /proc. On Linux the process table reads the same fields from the
// /proc/PID/stat line it reads anyway (linuxProcessTable.ts): through pidusage, which reads
// every file again, a tick would cost several times its budget (BENCHMARKS.md).

import pidusage from 'pidusage';

/** The process a pid named when it was read: pidusage keeps its history by pid. */
export interface KeyedPid {
  pid: number;
  key: string;
}

export interface ProcessUsage {
  /** % of ONE core since the previous tick; 0 on the first tick that sees the process. */
  cpu: number;
  rssBytes: number;
}

/** pidusage over all pids of the tick at once. */
export class PidusageMeter {
  /** The process each pid named when pidusage last read it (pidusage keeps history by pid). */
  private readonly keys = new Map<number, string>();

  async read(found: KeyedPid[]): Promise<Map<number, ProcessUsage>> {
    this.forgetReusedPids(found);
    const pids = found.map(({ pid }) => pid);
    const usage = new Map<number, ProcessUsage>();
    if (pids.length === 0) {
      return usage;
    }
    const keep = (pid: number, stat: pidusage.Status | undefined): void => {
      if (stat !== undefined) {
        usage.set(pid, { cpu: stat.cpu, rssBytes: stat.memory });
      }
    };
    try {
      // Where pidusage reads /proc, a vanished pid is a hole in the result; but a batch of
      // one rejects, and so does a batch on the `ps` and wmic platforms.
      const stats: Partial<Record<string, pidusage.Status>> = await pidusage(pids);
      pids.forEach((pid) => keep(pid, stats[pid]));
    } catch {
      const settled = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
      settled.forEach((result, i) => keep(pids[i], result.status === 'fulfilled' ? result.value : undefined));
    }
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
