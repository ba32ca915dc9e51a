// CPU % and resident memory of each process of a tick. On Linux they come from the CPU time
// and RSS in the /proc/PID/stat line the tree walk has just read: the very fields pidusage
// reads there, without reading every file a second time (pidusage alone would cost three
// times the whole tick's budget; see BENCHMARKS.md). Elsewhere pidusage asks ps or WMI.

import pidusage from 'pidusage';
import type { DiscoveredProcess } from './processDiscovery';

export interface ProcessUsage {
  /** % of ONE core since the previous tick; 0 on the first tick that sees the process. */
  cpu: number;
  rssBytes: number;
}

export interface UsageMeter {
  /** Usage by pid; a process missing from the result ended before it could be read. */
  read(found: DiscoveredProcess[], atMs: number): Promise<Map<number, ProcessUsage>>;
}

export function createUsageMeter(): UsageMeter {
  return process.platform === 'linux' ? new CpuTimeUsageMeter() : new PidusageMeter();
}

/** From the cumulative CPU time the discovery read: the change since the last tick. */
export class CpuTimeUsageMeter implements UsageMeter {
  /** CPU time of each process of the last tick, by process key (a reused pid starts afresh). */
  private previous = new Map<string, number>();
  private previousAtMs = 0;

  async read(found: DiscoveredProcess[], atMs: number): Promise<Map<number, ProcessUsage>> {
    const usage = new Map<number, ProcessUsage>();
    const next = new Map<string, number>();
    const elapsedMs = atMs - this.previousAtMs;
    for (const { pid, key, cpuTimeMs, rssBytes } of found) {
      if (cpuTimeMs === null || rssBytes === null) {
        continue;
      }
      const before = this.previous.get(key);
      const cpu = before !== undefined && elapsedMs > 0 ? Math.max(0, ((cpuTimeMs - before) / elapsedMs) * 100) : 0;
      usage.set(pid, { cpu, rssBytes });
      next.set(key, cpuTimeMs);
    }
    // Only the processes of this tick are kept: an ended one is never read again.
    this.previous = next;
    this.previousAtMs = atMs;
    return usage;
  }
}

/** pidusage over all pids of the tick at once. */
export class PidusageMeter implements UsageMeter {
  /** The process each pid named when pidusage last read it (pidusage keeps history by pid). */
  private readonly keys = new Map<number, string>();

  async read(found: DiscoveredProcess[]): Promise<Map<number, ProcessUsage>> {
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
  private forgetReusedPids(found: DiscoveredProcess[]): void {
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
