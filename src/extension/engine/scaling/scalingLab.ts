// The scaling lab ("Run in parallel"): one function mapped over the same inputs in every
// mode of the plan, each run of each mode a profiled run of its own, repeated (repeatedRuns.ts)
// so that a difference the machine's noise could make is not taken for one the modes made;
// then the comparison: median speedups with their spread, an Amdahl fit, where the missing
// speedup went, and a verdict in plain language.
//
// Used by `parallel-lab scale` and by the extension; cancel with an AbortSignal.

import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LockEventList, RunRecord, StartMethod } from '../../../shared/runRecord';
import { median, MIN_RUNS } from '../../../shared/runSpread';
import { SCALING_SCHEMA, type ScalingMode, type ScalingPrediction, type ScalingResult } from '../../../shared/scaling';
import { UserFacingError } from '../run/errors';
import type { ProfileRun, RunObserver } from '../run/profileRun';
import { fitAmdahl } from './amdahlFit';
import { measureBreakdown } from './breakdown';
import { finishHarnessRun, startHarnessRun, type HarnessTarget } from './harnessRun';
import { representativeRun, runsMsOf, type FinishedStep, type MeasuredStep } from './measuredSteps';
import { modeFigures } from './modeFigures';
import { largestPool, planSteps, poolLimitSentence, type ScalingStep } from './plan';
import { measureSteps } from './repeatedRuns';
import { scalingWarnings } from './scalingWarnings';
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
  /** Once, before the first run: every step the lab will take, each at least `minRuns` times. */
  onPlan?(steps: readonly ScalingStep[], minRuns: number): void;
  /** A run of a step started (`runNumber` counts from 1): the live run, e.g. for a panel. */
  onRunStarted?(step: ScalingStep, index: number, runNumber: number, run: ProfileRun): void;
  /** A run of a step finished: the map's wall time in that run. */
  onRunFinished?(step: ScalingStep, index: number, runNumber: number, wallMs: number, record: RunRecord<LockEventList>): void;
  /** Live events of a run (ticks, output, tracer records). */
  runObserver?(step: ScalingStep, index: number, runNumber: number): RunObserver;
}

export interface ScalingOutcome {
  result: ScalingResult;
  /** The record of each mode's run nearest its median, in the order of result.modes. */
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
  observer.onPlan?.(steps, MIN_RUNS);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'parallel-lab-scale-'));
  const resultsFile = path.join(folder, 'sequential-results.pickle');
  try {
    const measured = await measureSteps(steps, (step, index, runNumber) => runStep(target, step, index, runNumber, resultsFile, observer, signal));
    return {
      result: compare(request, maxWorkers, process.platform, measured),
      records: measured.map((entry) => representativeRun(entry).record),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function runStep(
  target: HarnessTarget,
  step: ScalingStep,
  index: number,
  runNumber: number,
  resultsFile: string,
  observer: ScalingObserver,
  signal: AbortSignal | undefined,
): Promise<FinishedStep> {
  if (signal?.aborted) throw new ScalingLabCancelled();
  const harness = await startHarnessRun(target, step, resultsFile, observer.runObserver?.(step, index, runNumber));
  const { run } = harness;
  const stop = (): void => void run.stop();
  signal?.addEventListener('abort', stop, { once: true });
  // Aborted while the run was starting: the listener came too late to hear it.
  if (signal?.aborted) stop();
  observer.onRunStarted?.(step, index, runNumber, run);
  try {
    await run.finished;
    if (signal?.aborted) throw new ScalingLabCancelled();
    const finished = await finishHarnessRun(harness, target, step);
    observer.onRunFinished?.(step, index, runNumber, finished.report.wallMs, finished.record);
    return finished;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

function compare(request: ScalingRequest, maxWorkers: number, platform: NodeJS.Platform, measured: readonly MeasuredStep[]): ScalingResult {
  const sequential = measured[0];
  const sequentialRunsMs = runsMsOf(sequential);
  const sequentialMs = median(sequentialRunsMs);
  const modes = measured.map((entry) => modeOf(entry, sequentialRunsMs));
  const poolRuns = measured.filter(({ step }) => step.mode === 'processes');
  const cores = sequential.runs[0].record.cores;
  const fit = fitAmdahl(poolRuns.map((entry) => ({ workers: entry.step.workers, wallMs: median(runsMsOf(entry)) })), cores);
  const breakdown = poolRuns.map((entry) => {
    const { report, record } = representativeRun(entry);
    return measureBreakdown({ workers: report.workers, poolCreatedMs: report.poolCreatedMs ?? report.mapStartMs, record }, sequentialMs);
  });
  const resultsEqual = modes.every((mode) => mode.resultsMatch);
  const prediction = request.prediction ?? {};
  const items = sequential.runs[0].report.items;
  const gilEnabled = gilOf(measured);
  const computeShare = computeShareOf(sequential);
  return {
    schema: SCALING_SCHEMA,
    file: path.resolve(request.file),
    function: request.functionName,
    inputs: request.inputs,
    items,
    cores,
    modes,
    resultsEqual,
    fit,
    prediction,
    breakdown,
    gilEnabled,
    computeShare,
    verdict: composeVerdict({ modes, breakdown, fit, prediction, maxWorkers: largestPool(maxWorkers, platform), cores, items, resultsEqual, gilEnabled, computeShare }),
    warnings: [poolLimitSentence(maxWorkers, platform), ...scalingWarnings(request.functionName, measured)].filter((warning): warning is string => warning !== null),
  };
}

function modeOf(entry: MeasuredStep, sequentialRunsMs: readonly number[]): ScalingMode {
  const chunksize = entry.runs[0].report.chunksize;
  const cpuCores = cpuCoresOf(entry);
  return {
    ...modeFigures(entry.step, runsMsOf(entry), sequentialRunsMs),
    resultsMatch: entry.step.mode === 'sequential' || entry.runs.every(({ report }) => report.difference === null),
    ...(chunksize === undefined ? {} : { chunksize }),
    ...(cpuCores === undefined ? {} : { cpuCores }),
  };
}

/** The median of the runs' CPU time over wall time; undefined unless every run measured its CPU time. */
function cpuCoresOf({ runs }: MeasuredStep): number | undefined {
  const cores = runs.map(({ report }) => (report.cpuMs === undefined || report.wallMs <= 0 ? null : report.cpuMs / report.wallMs));
  return cores.every((value): value is number => value !== null) ? median(cores) : undefined;
}

/** The threads ran in the thread run's Python; a record made before gilEnabled was recorded had a GIL. */
function gilOf(measured: readonly MeasuredStep[]): boolean {
  const threads = measured.find(({ step }) => step.mode === 'threads') ?? measured[0];
  return representativeRun(threads).record.python.gilEnabled ?? true;
}

function computeShareOf(sequential: MeasuredStep): number | null {
  const shares: number[] = [];
  for (const { report } of sequential.runs) {
    if (report.cpuMs === undefined) return null;
    const couldRunMs = report.wallMs - (report.coreWaitMs ?? 0);
    if (couldRunMs <= 0) return null;
    shares.push(report.cpuMs / couldRunMs);
  }
  return shares.length > 0 ? median(shares) : null;
}
