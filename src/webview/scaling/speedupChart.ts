// Speedup against workers: the process pools as a line of circles, the ideal (speedup =
// workers, up to the cores), the Amdahl fit, the thread pool as a square and the learner's
// predictions as hollow triangles. Each series differs in shape or dash as well as colour.
// Each measured point stands on the range of its runs' speedups, and a band across the chart
// is the range of the sequential runs: a range that reaches into the band is no measurable
// difference from running alone.

import type { ScalingResult } from '../../shared/scaling';
import { element } from '../format';
import { fitSpeedup, isOversubscribed, maxWorkers, predictionPoints, processRuns, sequentialRun, threadRun, THREADS_DX } from './scalingFacts';
import { formatSpeedup, spreadText, workersText } from './scalingFormat';
import { legendItem, niceTicks, Plot } from './plot';

export function speedupChart(result: ScalingResult): HTMLElement {
  const runs = processRuns(result);
  const threads = threadRun(result);
  const sequential = sequentialRun(result);
  const predictions = predictionPoints(result);
  const xMax = maxWorkers(result);
  const yTop = Math.max(result.cores, ...result.modes.map((mode) => mode.speedupRange.high), ...predictions.map(([, speedup]) => speedup)) * 1.1;
  const yTicks = niceTicks(yTop);
  const plot = new Plot({
    id: 'speedup-chart',
    title: 'Speedup against the number of workers',
    description: describe(result),
    xLabel: 'workers',
    yLabel: 'speedup (× sequential)',
    xMax: xMax * 1.04,
    yMax: yTicks[yTicks.length - 1],
    xTicks: [...new Set(result.modes.map((mode) => mode.workers))].sort((a, b) => a - b),
    yTicks,
    formatY: (value) => `${value}×`,
  });
  plot.verticalGuide(result.cores, `${result.cores} cores`);
  if (sequential) plot.band(sequential.speedupRange.low, sequential.speedupRange.high, 'series-alone');
  // Past the cores, extra workers only take turns: the ideal stays at the core count.
  plot.line([[1, 1], [result.cores, result.cores], [xMax, result.cores]], 'series-ideal');
  if (result.fit) plot.curve(1, (n) => fitSpeedup(result, n) ?? 0, 'series-fit');
  plot.line(runs.map((run) => [run.workers, run.speedup]), 'series-processes');
  for (const run of runs) {
    const oversubscribed = isOversubscribed(run, result.cores);
    const label = `Process pool, ${workersText(run.workers)}: speedup ${formatSpeedup(run.speedup)}, ${spreadText(run)}${oversubscribed ? ' (more workers than cores)' : ''}`;
    plot.range(run.workers, run.speedupRange.low, run.speedupRange.high, 'series-processes');
    plot.marker('circle', [run.workers, run.speedup], `series-processes${oversubscribed ? ' oversubscribed' : ''}`, label);
  }
  if (threads) {
    plot.range(threads.workers, threads.speedupRange.low, threads.speedupRange.high, 'series-threads', THREADS_DX);
    plot.marker('square', [threads.workers, threads.speedup], 'series-threads', `Thread pool, ${workersText(threads.workers)}: speedup ${formatSpeedup(threads.speedup)}, ${spreadText(threads)}`, THREADS_DX);
  }
  for (const [workers, speedup] of predictions) plot.marker('triangle', [workers, speedup], 'series-prediction', `Your prediction for ${workersText(workers)}: speedup ${formatSpeedup(speedup)}`);

  const legend = element('ul', 'chart-legend');
  legend.setAttribute('aria-label', 'Legend');
  legend.append(legendItem('Process pool (measured)', 'series-processes', 'circle'), legendItem('More workers than cores', 'series-processes oversubscribed', 'circle'));
  if (threads) legend.append(legendItem('Thread pool', 'series-threads', 'square'));
  legend.append(legendItem('Range of the runs', 'series-processes', 'range'));
  if (sequential) legend.append(legendItem('Range of the runs alone: within it, no measurable difference', 'series-alone', 'band'));
  if (predictions.length > 0) legend.append(legendItem('Your predictions', 'series-prediction', 'triangle'));
  legend.append(legendItem('Ideal: speedup = workers, up to the cores', 'series-ideal', 'line'));
  if (result.fit) legend.append(legendItem("Amdahl's law fitted to the process pools", 'series-fit', 'line'));
  plot.figure.insertBefore(legend, plot.svg.nextSibling);
  return plot.figure;
}

function describe(result: ScalingResult): string {
  const runs = processRuns(result);
  if (runs.length === 0) return 'No process-pool run to plot.';
  const best = runs.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  const first = runs[0];
  const fit = result.fit && Number.isFinite(result.fit.maxSpeedup) ? ` The Amdahl fit levels off at ${formatSpeedup(result.fit.maxSpeedup)} of one worker's speed.` : '';
  return `Process pools went from ${formatSpeedup(first.speedup)} with ${workersText(first.workers)} to at best ${formatSpeedup(best.speedup)} with ${workersText(best.workers)}; the ideal with ${result.cores} cores is ${formatSpeedup(result.cores)}.${fit}`;
}
