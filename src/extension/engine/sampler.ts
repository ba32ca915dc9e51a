// Samples the processes of a run every interval: CPU and memory of each (processUsage.ts),
// the CPU each last ran on (Linux), and how busy every core was since the previous tick.

import { CoreUsageMeter, CpuTimesReader } from './coreUsage';
import { createProcessDiscovery, type ProcessDiscovery } from './processDiscovery';
import { createUsageMeter, type UsageMeter } from './processUsage';
import type { RunClock } from './runClock';
import type { WalkRoot } from './treeWalk';

export interface ObservedProcess {
  pid: number;
  ppid: number;
  key: string;
  command: string;
  /** % of ONE core since the previous tick; 0 on the first tick that sees the process. */
  cpu: number;
  /** Resident set size. */
  rssBytes: number;
  /** Linux: field 39 of /proc/PID/stat, else null. */
  core: number | null;
}

export interface SamplerTick {
  /** RunClock ms, taken just before the processes are read. */
  t: number;
  processes: ObservedProcess[];
  /** % busy per logical core since the previous tick; empty on the first tick. */
  coreUsage: number[];
}

export interface SamplerOptions {
  rootPid: number;
  /** Default 100. */
  intervalMs?: number;
  clock: RunClock;
  onTick: (tick: SamplerTick) => void;
  /**
   * Pids the tracer reported alive (a process can be found before the tree walk sees it,
   * or after its parent died and it was re-parented).
   */
  extraPids?: () => Iterable<number>;
}

const DEFAULT_INTERVAL_MS = 100;

export class Sampler {
  private readonly discovery: ProcessDiscovery = createProcessDiscovery();
  private readonly usageMeter: UsageMeter = createUsageMeter();
  private readonly cpuTimes = new CpuTimesReader();
  private readonly coreMeter = new CoreUsageMeter();
  /** Every process seen alive at the last tick, by pid: its orphans are re-parented away. */
  private seen = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly options: SamplerOptions) {}

  start(): void {
    if (this.timer !== null) {
      return;
    }
    this.timer = setInterval(() => this.tickFromTimer(), this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
    // Right away too: a short run gets a sample, and the next tick a core-usage baseline.
    this.tickFromTimer();
  }

  /** Stops the timer, waits for a tick in flight, then takes a closing tick. */
  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.inFlight;
    // A closing tick: however short the run, the cores get a second reading to compare
    // with the first (which only sets the baseline), and what ended is seen to have ended.
    await this.tick().catch(() => undefined);
    this.discovery.close();
    this.cpuTimes.close();
  }

  /** One tick, delivered to onTick and returned; used by start() and by the benchmark. */
  async tick(): Promise<SamplerTick> {
    const t = this.options.clock.nowMs();
    const cpus = this.cpuTimes.read();
    const found = await this.discovery.discover(this.roots());
    this.seen = new Map();
    for (const { pid, key } of found) {
      this.seen.set(pid, key);
    }
    const usage = await this.usageMeter.read(found, t);
    const tick: SamplerTick = { t, processes: [], coreUsage: this.coreMeter.next(cpus) };
    for (const { pid, ppid, key, command, core } of found) {
      const read = usage.get(pid);
      // Missing: the process ended between the walk and the read.
      if (read !== undefined) {
        tick.processes.push({ pid, ppid, key, command, core, cpu: read.cpu, rssBytes: read.rssBytes });
      }
    }
    this.options.onTick(tick);
    return tick;
  }

  /** Overlapping ticks are skipped, not queued, and no error escapes the timer. */
  private tickFromTimer(): void {
    if (this.inFlight !== null) {
      return;
    }
    this.inFlight = this.tick().then(
      () => undefined,
      () => undefined, // a failed tick leaves a gap in the samples; the next one may work
    ).finally(() => {
      this.inFlight = null;
    });
  }

  private roots(): WalkRoot[] {
    const { rootPid, extraPids } = this.options;
    const roots: WalkRoot[] = [{ pid: rootPid, key: this.seen.get(rootPid), include: true }];
    // A seen pid stands for its process only while the key matches: once reused it is a
    // stranger (found again through its parent if it belongs to the run after all).
    for (const [pid, key] of this.seen) {
      roots.push({ pid, key, include: true });
    }
    for (const pid of extraPids?.() ?? []) {
      roots.push({ pid, include: true });
    }
    return roots;
  }
}
