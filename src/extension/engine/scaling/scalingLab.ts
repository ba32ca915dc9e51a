// The scaling lab ("Run in parallel"): one function mapped over the same inputs in every
// mode of the plan, each mode a profiled run of its own, then the comparison: speedups, an
// Amdahl fit, where the missing speedup went, and a verdict in plain language.
//
// Used by `parallel-lab scale` and by the extension; cancel with an AbortSignal.

import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LockEventList, RunRecord, StartMethod } from '../../../shared/runRecord';
import { SCALING_SCHEMA, type ScalingMode, type ScalingPrediction, type ScalingResult } from '../../../shared/scaling';
import { UserFacingError } from '../run/errors';
import type { ProfileRun, RunObserver } from '../run/profileRun';
import { fitAmdahl } from './amdahlFit';
import { measureBreakdown } from './breakdown';
import { finishHarnessRun, startHarnessRun, type HarnessTarget } from './harnessRun';
import { largestPool, planSteps, poolLimitSentence, type ScalingStep } from './plan';
import { scalingWarnings, type FinishedStep } from './scalingWarnings';
import { composeVerdict } from './verdict';

export interface ScalingRequest {
  file: string;
  /** A top-level function of the file. */
  functionName: string;
  /** A Python expression for the inputs, evaluated in the module after importing it, e.g. "range(16)". */
  inputs: string;
  /** The largest process pool before the oversubscribed one (2 ×); the number of logical CPUs by default. */
  maxWorkers?: number;
  prediction?: ScalingPrediction;
  python?: string;
  startMethod?: StartMethod;
  /** Limit for each run; none by default. */
  timeoutMsPerRun?: number;
}

export interface ScalingObserver {
  /** Once, before the first run: every step the lab will take. */
  onPlan?(steps: readonly ScalingStep[]): void;
  /** A step's profiled run started: the live run, e.g. for a panel. */
  onStepStarted?(step: ScalingStep, index: number, run: ProfileRun): void;
  onStepFinished?(step: ScalingStep, index: number, mode: ScalingMode, record: RunRecord<LockEventList>): void;
  /** Live events of a step's run (ticks, output, tracer records). */
  runObserver?(step: ScalingStep, index: number): RunObserver;
}

export interface ScalingOutcome {
  result: ScalingResult;
  /** The run record of each mode, in the order of result.modes. */
  records: Array<RunRecord<LockEventList>>;
}

export class ScalingLabCancelled extends UserFacingError {
  constructor() {
    super('The scaling lab was stopped before it finished.');
    this.name = 'ScalingLabCancelled';
  }
}

export async function runScalingLab(request: ScalingRequest, observer: ScalingObserver = {}, signal?: AbortSignal): Promise<ScalingOutcome> {
  const maxWorkers = request.maxWorkers ?? os.cpus().length;
  if (!Number.isInteger(maxWorkers) || maxWorkers < 1) throw new UserFacingError(`The number of workers must be a whole number of at least 1, not ${maxWorkers}.`);
  const target: HarnessTarget = {
    file: request.file,
    functionName: request.functionName,
    inputs: request.inputs,
    python: request.python,
    startMethod: request.startMethod,
    timeoutMs: request.timeoutMsPerRun,
  };
  const steps = planSteps(maxWorkers, process.platform);
  observer.onPlan?.(steps);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-scale-'));
  const resultsFile = path.join(folder, 'sequential-results.pickle');
  try {
    const finished: FinishedStep[] = [];
    for (const [index, step] of steps.entries()) {
      finished.push(await runStep(target, step, index, resultsFile, observer, signal));
      const sequentialMs = finished[0].report.wallMs;
      observer.onStepFinished?.(step, index, modeOf(finished[index], sequentialMs), finished[index].record);
    }
    return { result: compare(request, maxWorkers, process.platform, finished), records: finished.map(({ record }) => record) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function runStep(target: HarnessTarget, step: ScalingStep, index: number, resultsFile: string, observer: ScalingObserver, signal: AbortSignal | undefined): Promise<FinishedStep> {
  if (signal?.aborted) throw new ScalingLabCancelled();
  const harness = await startHarnessRun(target, step, resultsFile, observer.runObserver?.(step, index));
  const { run } = harness;
  const stop = (): void => void run.stop();
  signal?.addEventListener('abort', stop, { once: true });
  // Aborted while the run was starting: the listener came too late to hear it.
  if (signal?.aborted) stop();
  observer.onStepStarted?.(step, index, run);
  try {
    await run.finished;
    if (signal?.aborted) throw new ScalingLabCancelled();
    return await finishHarnessRun(harness, target, step);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

function compare(request: ScalingRequest, maxWorkers: number, platform: NodeJS.Platform, finished: readonly FinishedStep[]): ScalingResult {
  const sequential = finished[0];
  const modes = finished.map((step) => modeOf(step, sequential.report.wallMs));
  const poolRuns = finished.filter(({ report }) => report.mode === 'processes');
  const cores = sequential.record.cores;
  const fit = fitAmdahl(poolRuns.map(({ report }) => report), cores);
  const breakdown = poolRuns.map(({ report, record }) =>
    measureBreakdown({ workers: report.workers, poolCreatedMs: report.poolCreatedMs ?? report.mapStartMs, record }, sequential.report.wallMs),
  );
  const resultsEqual = modes.every((mode) => mode.resultsMatch);
  const prediction = request.prediction ?? {};
  return {
    schema: SCALING_SCHEMA,
    file: path.resolve(request.file),
    function: request.functionName,
    inputs: request.inputs,
    items: sequential.report.items,
    cores,
    modes,
    resultsEqual,
    fit,
    prediction,
    breakdown,
    verdict: composeVerdict({ modes, breakdown, fit, prediction, maxWorkers: largestPool(maxWorkers, platform), cores, items: sequential.report.items, resultsEqual }),
    warnings: [poolLimitSentence(maxWorkers, platform), ...scalingWarnings(request.functionName, finished)].filter((warning): warning is string => warning !== null),
  };
}

function modeOf({ report }: FinishedStep, sequentialMs: number): ScalingMode {
  const speedup = sequentialMs / report.wallMs;
  return {
    mode: report.mode,
    workers: report.workers,
    wallMs: report.wallMs,
    speedup,
    efficiency: report.mode === 'sequential' ? 1 : speedup / report.workers,
    resultsMatch: report.mode === 'sequential' || report.difference === null,
    ...(report.chunksize === undefined ? {} : { chunksize: report.chunksize }),
  };
}
