// The plain-language conclusion of the scaling lab, composed from the measurements only:
// each sentence is said when the numbers support it, so a surprising result reads as such.

import { formatMs } from '../../../shared/format';
import type { AmdahlFit, ScalingBreakdown, ScalingMode, ScalingPrediction } from '../../../shared/scaling';

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
}

/** Below this speedup a pool "did not help"; above the next it clearly did. */
const NO_HELP = 1.2;
const CLEAR_HELP = 1.5;
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
    sentences.push(speedupSentence(run));
    const loss = lossSentence(run, sequential.wallMs, input);
    if (loss) sentences.push(loss);
  }
  const threads = input.modes.find((mode) => mode.mode === 'threads');
  const bestProcesses = Math.max(...processes.map((mode) => mode.speedup));
  if (bestProcesses < 1 && sequential.wallMs / input.items < SMALL_ITEM_MS) sentences.push(smallItemsSentence(sequential.wallMs / input.items));
  if (threads) sentences.push(threadSentence(threads, bestProcesses));
  const over = processes.find((mode) => mode.workers > input.maxWorkers);
  if (over && all && over.workers > input.cores) sentences.push(oversubscriptionSentence(over, all, input.cores));
  if (input.fit) sentences.push(fitSentence(input.fit));
  sentences.push(...predictionSentences(input.prediction, two, all));
  if (!input.resultsEqual) sentences.push('The results were not the same in every mode, so these times may not compare the same work (see the warnings).');
  return sentences.join(' ');
}

function speedupSentence(run: ScalingMode): string {
  const workers = `${run.workers} worker${run.workers === 1 ? '' : 's'}`;
  if (run.speedup < 1) return `With ${workers} this function ran ${pace(run.speedup)} than alone.`;
  return `With ${workers} this function ran ${pace(run.speedup)} than alone (${Math.round(run.efficiency * 100)} % of the ideal).`;
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

function threadSentence(threads: ScalingMode, bestProcesses: number): string {
  if (threads.speedup >= CLEAR_HELP) {
    return `Threads helped too (${times(threads.speedup)}): the function spends its time waiting (sleep or I/O), and a waiting thread lets the others run.`;
  }
  if (threads.speedup < NO_HELP && bestProcesses >= CLEAR_HELP) {
    return `Threads did not help (${times(threads.speedup)}): the function computes in Python and holds the GIL, so only one thread runs at a time.`;
  }
  if (threads.speedup < NO_HELP) return `Threads did not help either (${pace(threads.speedup)} than alone).`;
  return `Threads ran it ${pace(threads.speedup)} than alone.`;
}

function oversubscriptionSentence(over: ScalingMode, all: ScalingMode, cores: number): string {
  const setting = `With ${over.workers} workers on ${cores} cores`;
  if (over.speedup < all.speedup * 0.95) return `${setting} it was slower than with ${all.workers}: workers beyond the cores only take turns and add start-up.`;
  if (over.speedup > all.speedup * 1.05) return `${setting} it was faster still: the workers mostly wait, so more of them than cores can wait at once.`;
  return `${setting} it was no faster than with ${all.workers}: workers beyond the cores only take turns.`;
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

