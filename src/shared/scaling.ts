// The result of the scaling lab ("Run in parallel"): one function mapped over the same
// inputs sequentially, on a thread pool and on process pools of 1..cores and 2 × cores
// workers, each run profiled. Written by `parallel-lab scale --json`, shown by the panel.

export const SCALING_SCHEMA = 'parallel-lab/scale@1';

export type ScalingModeName = 'sequential' | 'threads' | 'processes';

export interface ScalingMode {
  mode: ScalingModeName;
  workers: number;
  /** Wall time of the map itself, measured inside Python around it. */
  wallMs: number;
  /** Sequential wall time / this wall time. */
  speedup: number;
  /** speedup / workers (1 for the sequential run). */
  efficiency: number;
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
  /** A plain-language conclusion for the learner. */
  verdict: string;
  /** Plain-language problems noticed (results that differ, side effects, ...). */
  warnings: string[];
}
