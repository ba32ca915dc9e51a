// Samples the processes of a run every interval: CPU and memory of each and the CPU each
// last ran on (processSource.ts), and how busy every core was since the previous tick.

import { CoreUsageMeter, CpuTimesReader } from './coreUsage';
import { createProcessSource, type ObservedProcess, type ProcessSource } from './processSource';
import type { RunClock } from './runClock';

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
  /** Asked on every tick: see RunRoots.extraPids. */
  extraPids?: () => Iterable<number>;
}

const DEFAULT_INTERVAL_MS = 100;

export class Sampler {
  private readonly processes: ProcessSource = createProcessSource();
  private readonly cpuTimes = new CpuTimesReader();
  private readonly coreMeter = new CoreUsageMeter();
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
    this.processes.close();
    this.cpuTimes.close();
  }

  /** One tick, delivered to onTick and returned; used by start() and by the benchmark. */
  async tick(): Promise<SamplerTick> {
    const t = this.options.clock.nowMs();
    const cpus = this.cpuTimes.read();
    const { rootPid, extraPids } = this.options;
    const processes = await this.processes.read({ rootPid, extraPids: extraPids?.() ?? [] }, t);
    const tick: SamplerTick = { t, processes, coreUsage: this.coreMeter.next(cpus) };
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
}
