// The plain-language conclusion of the scaling lab, composed from the measurements only:
// each sentence is said when the numbers support it, so a surprising result reads as such.
// Every mode ran several times; a mode is called faster or slower than another only by the
// rule of src/shared/runSpread.ts (spreads apart, medians 10 % apart or more), and a
// difference within the spreads is said to be none, with the figures that show it.

import { formatMs, formatMsRange } from '../../../shared/format';
import type { AmdahlFit, ScalingBreakdown, ScalingMode, ScalingPrediction } from '../../../shared/scaling';
import { compareRuns, MEANINGFUL_RATIO, type RunComparison } from '../../../shared/runSpread';

export interface VerdictInput {
  modes: readonly ScalingMode[];
  breakdown: readonly ScalingBreakdown[];
  fit: AmdahlFit | null;
  prediction: ScalingPrediction;
  /** The largest pool before the oversubscribed one (by default the cores). */
  maxWorkers: number;
  cores: number;
  items: number;
  resultsEqual: boolean;
  /** The thread run's Python had a GIL. */
  gilEnabled: boolean;
  /** See ScalingResult.computeShare. */
  computeShare: number | null;
}

/** From this speedup on, threads "helped" in so many words. */
const CLEAR_HELP = 1.5;
/** A function whose CPU time is at least this share of the time it could run computes; below it, it mostly waits. */
const COMPUTES = 0.5;
/**
 * Threads that kept more than this many cores busy on average ran at once. At or below it, with
 * a GIL, their wall time can still beat the run alone's on a busy machine (each thread waking
 * for the GIL is favoured by the scheduler, so together they get more of a shared core), but
 * that is a bigger share of a core, not work done in parallel.
 */
const AT_ONCE_CORES = 1.2;
/** Losses under this share of the ideal time are noise, not worth a sentence. */
const NOTABLE_LOSS = 0.05;
/** Items quicker than this cost less than sending them to a worker and back (a few ms on a busy machine). */
const SMALL_ITEM_MS = 5;

export function composeVerdict(input: VerdictInput): string {
  const sequential = input.modes.find((mode) => mode.mode === 'sequential');
  const processes = input.modes.filter((mode) => mode.mode === 'processes');
  if (!sequential || processes.length === 0) return '';
  const sentences: string[] = [];
  const two = processes.find((mode) => mode.workers === 2 && input.maxWorkers >= 2);
  const all = processes.find((mode) => mode.workers === input.maxWorkers);
  for (const run of new Set([two ?? processes[0], all])) {
    if (!run) continue;
    sentences.push(speedupSentence(run, sequential));
    const loss = lossSentence(run, sequential.wallMs, input);
    if (loss) sentences.push(loss);
  }
  const threads = input.modes.find((mode) => mode.mode === 'threads');
  const bestProcesses = Math.max(...processes.map((mode) => mode.speedup));
  if (bestProcesses < 1 && sequential.wallMs / input.items < SMALL_ITEM_MS) sentences.push(smallItemsSentence(sequential.wallMs / input.items));
  if (threads) sentences.push(...threadSentences(threads, sequential, input));
  const over = processes.find((mode) => mode.workers > input.maxWorkers);
  if (over && all && over.workers > input.cores) sentences.push(oversubscriptionSentence(over, all, input.cores));
  if (input.fit) sentences.push(fitSentence(input.fit));
  sentences.push(...predictionSentences(input.prediction, two, all));
  if (!input.resultsEqual) sentences.push('The results were not the same in every mode, so these times may not compare the same work (see the warnings).');
  return sentences.join(' ');
}

function speedupSentence(run: ScalingMode, sequential: ScalingMode): string {
  const workers = `With ${run.workers} worker${run.workers === 1 ? '' : 's'}`;
  const comparison = compareRuns(run.runsMs, sequential.runsMs);
  const figures = `${runsFigures(run)}, alone ${runsFigures(sequential)}`;
  switch (comparison.difference) {
    case 'faster': return `${workers} this function ran ${pace(run.speedup)} than alone (${Math.round(run.efficiency * 100)} % of the ideal; ${figures}).`;
    case 'slower': return `${workers} this function ran ${pace(run.speedup)} than alone (${figures}).`;
    case 'none': return `${workers} it took no measurably different time from running alone: ${noDifference(comparison, run, sequential)}.`;
  }
}

/**
 * Did threads speed it up, and why or why not, in the words of the lesson: with a GIL, threads
 * that compute in Python take turns on it (four chefs, one stove); without one, they need not.
 */
function threadSentences(threads: ScalingMode, sequential: ScalingMode, input: VerdictInput): string[] {
  const comparison = compareRuns(threads.runsMs, sequential.runsMs);
  const figures = `${runsFigures(threads)}, alone ${runsFigures(sequential)}`;
  const computes = input.computeShare === null ? null : input.computeShare >= COMPUTES;
  const waits = computes === false ? ': the function spends its time waiting (sleep or I/O), and a waiting thread lets the others run' : '';
  const noGil = 'This Python has no GIL, so its threads can run Python code on several cores at once.';
  const stove =
    'The function computes in Python, and this Python has a GIL, one lock a thread must hold to run Python code: ' +
    `the ${threads.workers} threads took turns on it, like ${threads.workers} chefs sharing one stove, so only one of them ran Python code at a time.`;
  // With a GIL, threads of a computing function that never kept more than one core busy did not run at once, whatever their wall time.
  const threadCores = threads.cpuCores;
  if (comparison.difference === 'faster' && input.gilEnabled && computes === true && threadCores !== undefined && threadCores <= AT_ONCE_CORES) {
    const share =
      sequential.cpuCores !== undefined && sequential.cpuCores < threadCores
        ? `, against ${coresText(sequential.cpuCores)} for the run alone: they got more of a busy core than the run alone did, not more cores`
        : '';
    return [
      `Threads did not speed it up by running at once: their runs were quicker than alone (${figures}), but the ${threads.workers} threads together kept ${coresText(threadCores)} busy on average, ` +
        `no more than one thread at a time can${share}.`,
      stove,
    ];
  }
  if (comparison.difference === 'faster') {
    const helped = threads.speedup >= CLEAR_HELP ? `Threads helped too, ${pace(threads.speedup)} than alone` : `Threads ran it ${pace(threads.speedup)} than alone`;
    return [`${helped} (${figures})${waits}.`, ...(input.gilEnabled ? [] : [noGil])];
  }
  const lead = comparison.difference === 'slower' ? `Threads ran it ${pace(threads.speedup)} than alone (${figures})` : `Threads made no measurable difference: ${noDifference(comparison, threads, sequential)}`;
  if (!input.gilEnabled) return [`${lead}.`, `${noGil} The GIL is not what kept them from helping here.`];
  if (computes !== true) return [`${lead}.`];
  return [`${lead}.`, stove];
}

/** "0.46 of a core", "1.90 cores". */
function coresText(cores: number): string {
  return cores < 1 ? `${cores.toFixed(2)} of a core` : `${cores.toFixed(2)} cores`;
}

/** Why two sets of runs were not told apart, with the figures. */
function noDifference(comparison: RunComparison, runs: ScalingMode, alone: ScalingMode): string {
  switch (comparison.why) {
    case 'too-few': return `one run on a side is too few to tell a difference from noise (${formatMs(runs.wallMs)}, alone ${formatMs(alone.wallMs)})`;
    case 'close': return `the medians, ${formatMs(runs.wallMs)} and ${formatMs(alone.wallMs)} alone, are less than ${Math.round((MEANINGFUL_RATIO - 1) * 100)} % apart (${runsFigures(runs)}, alone ${runsFigures(alone)})`;
    default: return `${runsFigures(runs)}, alone ${runsFigures(alone)}, ranges that overlap`;
  }
}

/** "148–160 ms in 3 runs", or "in the middle 5 of 7 runs": the spread the rule compared. */
function runsFigures(mode: ScalingMode): string {
  const count = mode.runsMs.length;
  if (count === 1) return `${formatMs(mode.wallMs)} in 1 run`;
  const inside = mode.runsMs.filter((ms) => ms >= mode.spreadMs.low && ms <= mode.spreadMs.high).length;
  const runs = inside === count ? `${count} runs` : `the middle ${inside} of ${count} runs`;
  return `${formatMsRange(mode.spreadMs.low, mode.spreadMs.high)} in ${runs}`;
}

function smallItemsSentence(itemMs: number): string {
  return `Each item takes only ${formatMs(itemMs)} alone, less than sending it to a worker and back costs: give each call more work (bigger items, or several items per call).`;
}

/** Names the biggest of the measured costs, each turned into wall time of the run. */
function lossSentence(run: ScalingMode, sequentialMs: number, input: VerdictInput): string | null {
  const parts = input.breakdown.find((entry) => entry.workers === run.workers);
  const parallelism = Math.min(run.workers, input.cores);
  const idealMs = sequentialMs / parallelism;
  if (!parts || run.wallMs - idealMs < NOTABLE_LOSS * idealMs) return null;
  // Start-up is wall time already; the others are summed over the workers, which lose them side by side.
  const causes: Array<[string, number, number]> = [
    ['starting the processes', parts.startupMs, parts.startupMs],
    ['the work itself running slower in the workers than alone, on shared cores', (parts.slowerWorkMs ?? 0) / parallelism, parts.slowerWorkMs ?? 0],
    ['workers waiting idle for the last ones to finish', parts.idleTailMs / run.workers, parts.idleTailMs],
    ['sending items and results between processes', parts.transferMs / run.workers, parts.transferMs],
    ['waiting for locks', parts.lockWaitMs / run.workers, parts.lockWaitMs],
  ];
  const [what, , measuredMs] = causes.reduce((biggest, cause) => (cause[1] > biggest[1] ? cause : biggest));
  return `Most of what was lost went to ${what} (${formatMs(measuredMs)}).`;
}

function oversubscriptionSentence(over: ScalingMode, all: ScalingMode, cores: number): string {
  const setting = `With ${over.workers} workers on ${cores} cores`;
  const figures = `${runsFigures(over)}; with ${all.workers} workers, ${runsFigures(all)}`;
  switch (compareRuns(over.runsMs, all.runsMs).difference) {
    case 'slower': return `${setting} it was slower than with ${all.workers} (${figures}): workers beyond the cores only take turns and add start-up.`;
    case 'faster': return `${setting} it was faster still (${figures}): the workers mostly wait, so more of them than cores can wait at once.`;
    case 'none': return `${setting} it was no faster than with ${all.workers} (${figures}): workers beyond the cores only take turns.`;
  }
}

function fitSentence(fit: AmdahlFit): string {
  const share = fit.serialFraction * 100;
  const shape = fit.r2 >= 0.8 ? '' : ` (the runs fit the law loosely, r² = ${fit.r2.toFixed(2)})`;
  if (fit.serialFraction >= 1) return `Amdahl's law finds no part that ran in parallel${shape}.`;
  return `Amdahl's law fits a serial part of ${share < 1 ? share.toFixed(1) : Math.round(share)} %: no number of workers would make it more than ${times(fit.maxSpeedup)} faster${shape}.`;
}

function predictionSentences(prediction: ScalingPrediction, two: ScalingMode | undefined, all: ScalingMode | undefined): string[] {
  const sentences: string[] = [];
  if (prediction.twoWorkers !== undefined && two) {
    sentences.push(`You predicted ${times(prediction.twoWorkers)} with ${two.workers} workers; it was ${times(two.speedup)}.`);
  }
  if (prediction.allCores !== undefined && all && !(two === all && prediction.twoWorkers !== undefined)) {
    sentences.push(`You predicted ${times(prediction.allCores)} with ${all.workers} workers; it was ${times(all.speedup)}.`);
  }
  return sentences;
}

/** "1.9× faster" or "3.0× slower": a speedup below 1 reads better as a slowdown. */
function pace(speedup: number): string {
  return speedup >= 1 ? `${times(speedup)} faster` : `${times(1 / speedup)} slower`;
}

export function times(factor: number): string {
  return `${factor >= 10 ? factor.toFixed(0) : factor.toFixed(1)}×`;
}

