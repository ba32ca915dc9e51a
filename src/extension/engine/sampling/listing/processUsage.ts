// CPU % and resident memory of each process of a tick, from pidusage (which asks ps), where
// there is no /proc: macOS. On Windows the listing carries them (listedUsage.ts), where
// pidusage would start a PowerShell or wmic on every tick. On Linux the process table reads the same fields from the
// /proc/PID/stat line it reads anyway (linuxProcessTable.ts): through pidusage, which reads
// every file again, a tick would cost several times its budget (BENCHMARKS.md).
//
// pidusage's own CPU % divides by an elapsed time it reads from the platform: whole
// seconds on macOS (ps etime) and Windows, 10 ms steps on Linux (/proc/uptime). At 100 ms
// ticks that reads 0 % most of the time, or more than 100 %. So only its CPU time is
// taken, and the CPU % is that time's growth over the host's own clock (cpuTimeRate.ts).

import pidusage from 'pidusage';
import { CpuTimeRate, type CpuTimeReading } from '../cpuTimeRate';

/** The process a pid named when it was read: pidusage keeps its history by pid. */
export interface KeyedPid {
  pid: number;
  key: string;
}

export interface ProcessUsage {
  /** % of ONE core since the previous tick; 0 while there is no figure yet (cpuTimeRate.ts). */
  cpu: number;
  /** CPU time (user + system) used so far. */
  cpuTimeMs: number;
  rssBytes: number;
}

/**
 * How far the CPU time pidusage reports moves at a time. It asks `ps` where its options or
 * the platform say so (its lib/stats.js), /proc elsewhere on Linux, and WMI on Windows.
 */
export function pidusageCpuTimeStepMs(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): number {
  if (platform === 'win32') {
    // 100 ns units, counted at each clock interrupt (15.6 ms). (The sampler takes the
    // listing's figures there.)
    return 16;
  }
  const readsProc = platform === 'linux' || platform === 'android' || platform === 'netbsd';
  const usesPs = !readsProc || /^true$/i.test(env.PIDUSAGE_USE_PS ?? '');
  if (!usesPs) {
    return 10; // clock ticks of 1/100 s
  }
  return platform === 'darwin' ? 10 : 1000; // macOS's ps prints hundredths, the others none
}

/** pidusage over all pids of the tick at once. */
export class PidusageMeter {
  /** The process each pid named when pidusage last read it (pidusage keeps history by pid). */
  private readonly keys = new Map<number, string>();
  private readonly rate = new CpuTimeRate(pidusageCpuTimeStepMs());

  async read(found: KeyedPid[]): Promise<Map<number, ProcessUsage>> {
    this.forgetReusedPids(found);
    const pids = found.map(({ pid }) => pid);
    const stats = new Map<number, pidusage.Status>();
    if (pids.length > 0) {
      try {
        // Where pidusage reads /proc, a vanished pid is a hole in the result; but a batch of
        // one rejects, and so does a batch on the `ps` and wmic platforms.
        const batch: Partial<Record<string, pidusage.Status>> = await pidusage(pids);
        pids.forEach((pid) => addStat(stats, pid, batch[pid]));
      } catch {
        const settled = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
        settled.forEach((result, i) => addStat(stats, pids[i], result.status === 'fulfilled' ? result.value : undefined));
      }
    }
    const readings: CpuTimeReading[] = [];
    for (const { pid, key } of found) {
      const stat = stats.get(pid);
      if (stat !== undefined) readings.push({ pid, key, cpuTimeMs: stat.ctime });
    }
    const figures = this.rate.next(readings, performance.now());
    const usage = new Map<number, ProcessUsage>();
    for (const [pid, stat] of stats) {
      usage.set(pid, { cpu: figures.get(pid) ?? 0, cpuTimeMs: stat.ctime, rssBytes: stat.memory });
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

/**
 * Undefined: the process ended before the read. No memory: it ended and waits for its
 * parent to collect its exit status (a zombie, listed alive a moment before): pidusage
 * reads its stat all the same, so it would end its samples with 0 bytes.
 */
function addStat(stats: Map<number, pidusage.Status>, pid: number, stat: pidusage.Status | undefined): void {
  if (stat !== undefined && stat.memory > 0) {
    stats.set(pid, stat);
  }
}
