// The plain-text report `parallel-lab scale` prints: the modes, the Amdahl fit, the
// prediction beside the measurement, where the missing speedup went, the verdict, the
// warnings. Pure formatting of a finished ScalingResult.

import * as path from 'node:path';
import { formatBytes, formatMs, formatMsRange, formatPercent } from '../../../shared/format';
import { MEANINGFUL_RATIO, TRIMMED_FROM } from '../../../shared/runSpread';
import type { RunDifference, ScalingResult } from '../../../shared/scaling';
import { times } from './verdict';
import { table } from '../export/summary';

export function formatScalingSummary(result: ScalingResult): string {
  const sections = [header(result), modesSection(result)];
  if (result.fit) sections.push(fitLine(result));
  const prediction = predictionLine(result);
  if (prediction) sections.push(prediction);
  if (result.breakdown.length > 0) sections.push(breakdownSection(result));
  if (result.verdict) sections.push(['Verdict', `  ${result.verdict}`].join('\n'));
  if (result.warnings.length > 0) sections.push(['Warnings', ...result.warnings.map((warning) => `  - ${warning}`)].join('\n'));
  return sections.join('\n\n') + '\n';
}

function header(result: ScalingResult): string {
  return `Scaling ${path.basename(result.file)}:${result.function} over ${result.inputs} (${result.items} items, ${result.cores} cores)`;
}

function modesSection(result: ScalingResult): string {
  const rows = result.modes.map((mode) => [
    mode.mode,
    String(mode.workers),
    formatMs(mode.wallMs),
    formatMsRange(mode.spreadMs.low, mode.spreadMs.high),
    String(mode.runsMs.length),
    times(mode.speedup),
    formatPercent(mode.efficiency * 100),
    mode.mode === 'sequential' ? '–' : AGAINST_ALONE[mode.againstSequential],
    mode.resultsMatch ? 'same' : 'DIFFER',
  ]);
  return [
    ...table([['MODE', 'WORKERS', 'MEDIAN', 'RANGE', 'RUNS', 'SPEEDUP', 'EFFICIENCY', 'AGAINST ALONE', 'RESULTS'], ...rows]),
    `  MEDIAN of each mode's runs, each run its own process; RANGE from the fastest run to the slowest (from ${TRIMMED_FROM} runs on,`,
    '  the second fastest to the second slowest). A mode is faster or slower than alone only when the ranges do not',
    `  overlap and the medians are ${Math.round((MEANINGFUL_RATIO - 1) * 100)} % apart or more.`,
  ].join('\n');
}

const AGAINST_ALONE: Record<RunDifference, string> = { faster: 'faster', slower: 'slower', none: 'no measurable difference' };

function fitLine({ fit }: ScalingResult): string {
  if (!fit) return '';
  return `Amdahl fit: serial part ${formatPercent(fit.serialFraction * 100)} · at most ${times(fit.maxSpeedup)} with unlimited workers · r² ${fit.r2.toFixed(2)}`;
}

function predictionLine({ prediction, modes }: ScalingResult): string | null {
  const measured = (workers: number): string => {
    const mode = modes.find((entry) => entry.mode === 'processes' && entry.workers === workers);
    return mode ? times(mode.speedup) : '–';
  };
  const parts: string[] = [];
  if (prediction.twoWorkers !== undefined) parts.push(`2 workers: you said ${times(prediction.twoWorkers)}, measured ${measured(2)}`);
  // The thread pool has max workers threads: the "all cores" pool of the prediction.
  const maxWorkers = modes.find((mode) => mode.mode === 'threads')?.workers;
  if (prediction.allCores !== undefined && maxWorkers !== undefined) {
    parts.push(`${maxWorkers} workers: you said ${times(prediction.allCores)}, measured ${measured(maxWorkers)}`);
  }
  return parts.length > 0 ? `Prediction: ${parts.join(' · ')}` : null;
}

function breakdownSection({ breakdown }: ScalingResult): string {
  const rows = breakdown.map((entry) => [
    String(entry.workers),
    formatMs(entry.startupMs),
    formatBytes(entry.pickledBytes),
    formatMs(entry.transferMs),
    formatMs(entry.lockWaitMs),
    formatMs(entry.idleTailMs),
    entry.slowerWorkMs === undefined ? '–' : formatMs(entry.slowerWorkMs),
  ]);
  const head = ['WORKERS', 'START-UP', 'PICKLED', 'SENDING', 'LOCK WAIT', 'IDLE TAIL', 'SLOWER WORK'];
  return ['Where the missing speedup went (process pools)', ...table([head, ...rows])].join('\n');
}

