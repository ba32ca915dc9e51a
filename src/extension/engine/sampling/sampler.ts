// Samples the processes of a run every interval: CPU and memory of each and the CPU each
// last ran on (processSource.ts), how busy every core was since the previous tick, and how
// much of that was the run's own work (coreShare.ts): the rest is other programs'. Where
// threads are read (Linux), the threads of a process where two or more want to run are read
// every few ms in between (linux/stoveWatch.ts).

import type { CoreSample, ProcessSample, SamplingFacts } from '../../../shared/runRecord';
import { placeRunOnCores } from './coreShare';
import { CoreUsageMeter, CpuTimesReader } from './coreUsage';
import type { StoveReading } from './linux/stoveSampler';
import { StoveWatch } from './linux/stoveWatch';
import type { ObservedProcess, ProcessSource } from './processReading';
import { createProcessSource } from './processSource';
import type { RunClock } from '../run/runClock';

export interface SamplerTick {
  /** RunClock ms, taken just before the processes are read. */
  t: number;
  processes: ObservedProcess[];
  /** % busy per logical core since the previous tick (the whole machine); empty on the first tick. */
  coreUsage: number[];
  /**
   * The run's own % of each core since the previous tick; null on the first tick, and where
   * the platform does not say which core a process ran on.
   */
  coreRun: number[] | null;
  /** The run's own CPU since the previous tick, in % of one core (its processes' CPU added up). */
  runTotal: number;
}

export interface SamplerOptions {
  rootPid: number;
  /** Default 100. */
  intervalMs?: number;
  clock: RunClock;
  onTick: (tick: SamplerTick) => void;
  /** Asked on every tick: see RunRoots.extraPids. */
  extraPids?: () => Iterable<number>;
  /** Read threads fast where two or more want to run (where threads are read); not when absent. */
  fastThreads?: {
    /** The most fast reads of one process. */
    readsPerProcess: number;
    /** Each fast reading, between ticks, and at a tick before onTick. */
    onReading: (reading: StoveReading) => void;
  };
}

const DEFAULT_INTERVAL_MS = 100;

/** A process's sample in the record, from what a tick observed of it. */
export function processSampleOf(t: number, observed: ObservedProcess): ProcessSample {
  const sample: ProcessSample = { t, cpu: observed.cpu, rssBytes: observed.rssBytes, core: observed.core };
  if (observed.runQueueMs !== null) sample.runQueueMs = observed.runQueueMs;
  return sample;
}

/** The tick's core sample in the record; null on the first tick, which only sets the baseline. */
export function coreSampleOf(tick: SamplerTick): CoreSample | null {
  if (tick.coreUsage.length === 0) return null;
  const sample: CoreSample = { t: tick.t, usage: tick.coreUsage, runTotal: tick.runTotal };
  if (tick.coreRun !== null) sample.run = tick.coreRun;
  return sample;
}

export class Sampler {
  private readonly processes: ProcessSource = createProcessSource();
  private readonly cpuTimes = new CpuTimesReader();
  private readonly coreMeter = new CoreUsageMeter();
  private readonly fastThreads: StoveWatch | null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  /** When the previous tick began; the run's start before the first. */
  private previousTickMs = 0;
  /** How this sampler samples, for the record. */
  readonly facts: SamplingFacts;

  constructor(private readonly options: SamplerOptions) {
    const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    const fast = options.fastThreads;
    this.fastThreads =
      fast !== undefined && this.processes.readsThreads
        ? new StoveWatch({ clock: options.clock, tickIntervalMs: intervalMs, readsPerProcess: fast.readsPerProcess, onReading: fast.onReading })
        : null;
    this.facts = { intervalMs, fastThreadIntervalMs: this.fastThreads?.intervalMs ?? null, fastSamplesPerProcess: fast?.readsPerProcess ?? 0 };
  }

  start(): void {
    if (this.timer !== null) {
      return;
    }
    this.timer = setInterval(() => this.tickFromTimer(), this.facts.intervalMs);
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
    this.fastThreads?.stop();
    this.processes.close();
    this.cpuTimes.close();
  }

  /** One tick, delivered to onTick and returned; used by start() and by the benchmark. */
  async tick(): Promise<SamplerTick> {
    const t = this.options.clock.nowMs();
    const cpus = this.cpuTimes.read();
    const { rootPid, extraPids } = this.options;
    const processes = await this.processes.read({ rootPid, extraPids: extraPids?.() ?? [] }, t);
    this.fastThreads?.afterTick(processes);
    const coreUsage = this.coreMeter.next(cpus);
    const coreRun = this.runOnCores(coreUsage, t - this.previousTickMs);
    this.previousTickMs = t;
    const runTotal = coreRun !== null ? sum(coreRun) : sum(processes.map((observed) => observed.cpu));
    const tick: SamplerTick = { t, processes, coreUsage, coreRun, runTotal };
    this.options.onTick(tick);
    return tick;
  }

  /** The run's % of each core over the interval, or null (see SamplerTick.coreRun). */
  private runOnCores(coreUsage: number[], intervalMs: number): number[] | null {
    const cpuMs = this.processes.cpuMsByCore();
    if (cpuMs === null || coreUsage.length === 0 || intervalMs <= 0) {
      return null;
    }
    return placeRunOnCores(cpuMs.map((ms) => (ms / intervalMs) * 100), coreUsage);
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

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
