// A process's CPU % from its CPU-time counter, read once a tick, over the host's own clock
// (the platforms' own CPU % divides by an elapsed time counted in whole seconds on macOS and
// Windows: see processUsage.ts).
//
// The counter moves in steps: 10 ms on Linux (/proc) and macOS (ps), a clock tick (about
// 15.6 ms) on Windows, but a whole second where `ps` prints no fraction of a second (Linux
// and the BSDs). A step much shorter than the interval between two reads: the growth over
// that interval is the figure. A step as long as the interval or longer: one interval's
// growth is a whole step or nothing (0 % on nine ticks in ten, then 1000 %), so the figure
// is the growth between the counter's last two steps over the time between them, each step
// placed halfway between the reads around it. That span is known to within one interval at
// each end. Since the last step the counter has grown by less than one step, which bounds
// the figure from above: a process that went idle reads lower as the time since grows.

export interface CpuTimeReading {
  pid: number;
  /** pid + start time: a reused pid is another process, with another counter. */
  key: string;
  cpuTimeMs: number;
}

interface CounterStep {
  /** Host ms, halfway between the read before the step and the read that saw it. */
  atMs: number;
  cpuTimeMs: number;
}

interface CounterHistory {
  key: string;
  cpuTimeMs: number;
  atMs: number;
  lastStep: CounterStep | null;
  stepBefore: CounterStep | null;
}

/** Below this many steps per interval the growth over one interval is too coarse a figure. */
const STEPS_PER_INTERVAL_FOR_DIRECT_FIGURE = 4;

export class CpuTimeRate {
  private histories = new Map<number, CounterHistory>();

  /** @param stepMs how far the platform's CPU-time counter moves at a time. */
  constructor(private readonly stepMs: number) {}

  /**
   * The % of ONE core of each process read at `atMs` (host ms on a monotonic clock): null
   * for a process read for the first time, or, with a coarse counter, until it has stepped
   * twice. Processes not in `readings` are forgotten.
   */
  next(readings: readonly CpuTimeReading[], atMs: number): Map<number, number | null> {
    const figures = new Map<number, number | null>();
    const histories = new Map<number, CounterHistory>();
    for (const { pid, key, cpuTimeMs } of readings) {
      const before = this.histories.get(pid);
      if (before === undefined || before.key !== key) {
        figures.set(pid, null);
        histories.set(pid, { key, cpuTimeMs, atMs, lastStep: null, stepBefore: null });
      } else if (atMs <= before.atMs) {
        figures.set(pid, null); // read twice at once: nothing to compare
        histories.set(pid, before);
      } else {
        const history = this.advance(before, cpuTimeMs, atMs);
        figures.set(pid, this.figure(before, history));
        histories.set(pid, history);
      }
    }
    this.histories = histories;
    return figures;
  }

  private advance(before: CounterHistory, cpuTimeMs: number, atMs: number): CounterHistory {
    const stepped = cpuTimeMs > before.cpuTimeMs;
    return {
      key: before.key,
      cpuTimeMs,
      atMs,
      lastStep: stepped ? { atMs: (before.atMs + atMs) / 2, cpuTimeMs } : before.lastStep,
      stepBefore: stepped ? before.lastStep : before.stepBefore,
    };
  }

  private figure(before: CounterHistory, now: CounterHistory): number | null {
    const intervalMs = now.atMs - before.atMs;
    if (this.stepMs * STEPS_PER_INTERVAL_FOR_DIRECT_FIGURE <= intervalMs) {
      return percent(Math.max(0, now.cpuTimeMs - before.cpuTimeMs), intervalMs);
    }
    const { lastStep, stepBefore } = now;
    if (lastStep === null || stepBefore === null) {
      return null;
    }
    const spanFigure = percent(lastStep.cpuTimeMs - stepBefore.cpuTimeMs, lastStep.atMs - stepBefore.atMs);
    const sinceLastStepMs = now.atMs - lastStep.atMs;
    return Math.min(spanFigure, percent(this.stepMs, sinceLastStepMs));
  }
}

function percent(cpuMs: number, overMs: number): number {
  return (cpuMs / overMs) * 100;
}
