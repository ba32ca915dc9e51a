// The result of the scaling lab ("Run in parallel"): one function mapped over the same
// inputs sequentially, on a thread pool and on process pools of 1..cores and 2 × cores
// workers, each run profiled. Written by `parallel-lab scale --json`, shown by the panel.

export const SCALING_SCHEMA = 'parallel-lab/scale@1';

export type ScalingModeName = 'sequential' | 'threads' | 'processes';

/** Two modes told apart by the rule of runSpread.ts; 'none' is "no measurable difference". */
export type RunDifference = 'faster' | 'slower' | 'none';

export interface TimeRange {
  low: number;
  high: number;
}

export interface ScalingMode {
  mode: ScalingModeName;
  workers: number;
  /** Wall time of each run of the map, measured inside Python around it, in the order they ran (each run its own process). */
  runsMs: number[];
  /** The median of runsMs: the figure every speedup, chart point and sentence uses. */
  wallMs: number;
  /**
   * The spread of the runs: the fastest to the slowest, or the second fastest to the second
   * slowest once there are 6 runs or more (see runSpread.ts). Modes are compared by it.
   */
  spreadMs: TimeRange;
  /** Sequential wall time (median) / this wall time (median). */
  speedup: number;
  /** The speedups the spread spans: the sequential median over spreadMs.high and over spreadMs.low. */
  speedupRange: TimeRange;
  /** Its runs against the sequential runs: a difference within the spreads is 'none'. */
  againstSequential: RunDifference;
  /** speedup / workers (1 for the sequential run). */
  efficiency: number;
  /**
   * Sequential and thread runs: the harness process's CPU time over the map's wall time, median
   * over the runs, i.e. how many cores' worth it kept busy (at most about 1 for threads that
   * take turns on a GIL). Absent for process pools, whose work is done in other processes.
   */
  cpuCores?: number;
  /** The results equal the sequential run's. */
  resultsMatch: boolean;
  /** Process pools only: the items per task Pool.map chose (the learner's usual call, no chunksize given). */
  chunksize?: number;
}

/** Where the missing speedup of one process-pool run went, each part measured from its record. */
export interface ScalingBreakdown {
  workers: number;
  /** Time until the last worker process was up, from the pool's creation. */
  startupMs: number;
  /** Bytes pickled to and from the workers (messages on the pool's channels). */
  pickledBytes: number;
  /** Time processes spent blocked sending or receiving those messages. */
  transferMs: number;
  /** Time processes spent waiting for locks. */
  lockWaitMs: number;
  /** Worker time left idle at the end: the slowest worker's last task end minus each other's, summed. */
  idleTailMs: number;
  /**
   * The workers' task time beyond the sequential run's wall time: the same work ran slower in
   * parallel (cores shared with more workers or other programs, caches, memory bandwidth).
   */
  slowerWorkMs?: number;
}

/** Amdahl's law fitted to the process-pool runs: T(n) = T(1) · (s + (1 − s) / n). */
export interface AmdahlFit {
  serialFraction: number;
  /** The speedup the fit predicts with unlimited workers: 1 / s. */
  maxSpeedup: number;
  /** Coefficient of determination of the fit over the process runs (1 = perfect). */
  r2: number;
}

export interface ScalingPrediction {
  /** The learner's guess of the speedup with 2 workers, and with as many workers as cores. */
  twoWorkers?: number;
  allCores?: number;
}

export interface ScalingResult {
  schema: typeof SCALING_SCHEMA;
  file: string;
  function: string;
  /** The Python expression the inputs came from, e.g. "range(16)". */
  inputs: string;
  items: number;
  cores: number;
  modes: ScalingMode[];
  /** Every mode returned the same results as the sequential run. */
  resultsEqual: boolean;
  fit: AmdahlFit | null;
  prediction: ScalingPrediction;
  breakdown: ScalingBreakdown[];
  /** The threads' Python had a GIL: the thread run's record's python.gilEnabled, true where not recorded. */
  gilEnabled: boolean;
  /**
   * The sequential runs' CPU time over the time they could run (wall time less the time they
   * waited for a free core, where measured), median over the runs: near 1 for a function that
   * computes, near 0 for one that sleeps or waits for I/O. Null where not measured.
   */
  computeShare: number | null;
  /** A plain-language conclusion for the learner. */
  verdict: string;
  /** Plain-language problems noticed (results that differ, side effects, ...). */
  warnings: string[];
}
