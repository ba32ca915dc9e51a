// Efficiency against workers: how much of each worker's time went into useful work
// (speedup / workers). 100 % is perfect; the drop shows the cost of every extra worker.
// Each point stands on the range of its runs' efficiencies.

import type { ScalingMode, ScalingResult } from '../../shared/scaling';
import { element, formatPercent } from '../format';
import { isOversubscribed, maxWorkers, processRuns, threadRun, THREADS_DX } from './scalingFacts';
import { workersText } from './scalingFormat';
import { legendItem, niceTicks, Plot } from './plot';

/** The efficiencies, in %, that the spread of a mode's runs spans. */
function efficiencyRange(mode: ScalingMode): [number, number] {
  return [(mode.speedupRange.low / mode.workers) * 100, (mode.speedupRange.high / mode.workers) * 100];
}

function rangeText(mode: ScalingMode): string {
  const [low, high] = efficiencyRange(mode);
  return `runs ${Math.round(low)}–${formatPercent(high)}`;
}

export function efficiencyChart(result: ScalingResult): HTMLElement {
  const runs = processRuns(result);
  const threads = threadRun(result);
  const xMax = maxWorkers(result);
  const yTicks = niceTicks(Math.max(100, ...result.modes.map((mode) => efficiencyRange(mode)[1])));
  const plot = new Plot({
    id: 'efficiency-chart',
    title: 'Efficiency against the number of workers',
    description: describe(result),
    xLabel: 'workers',
    yLabel: 'efficiency (speedup ÷ workers)',
    xMax: xMax * 1.04,
    yMax: yTicks[yTicks.length - 1],
    xTicks: [...new Set(result.modes.map((mode) => mode.workers))].sort((a, b) => a - b),
    yTicks,
    formatY: (value) => `${value}%`,
  });
  plot.verticalGuide(result.cores, `${result.cores} cores`);
  plot.line([[0, 100], [xMax * 1.04, 100]], 'series-ideal');
  plot.line(runs.map((run) => [run.workers, run.efficiency * 100]), 'series-processes');
  for (const run of runs) {
    const oversubscribed = isOversubscribed(run, result.cores);
    plot.range(run.workers, ...efficiencyRange(run), 'series-processes');
    plot.marker('circle', [run.workers, run.efficiency * 100], `series-processes${oversubscribed ? ' oversubscribed' : ''}`, `Process pool, ${workersText(run.workers)}: ${formatPercent(run.efficiency * 100)} efficient, ${rangeText(run)}`);
  }
  if (threads) {
    plot.range(threads.workers, ...efficiencyRange(threads), 'series-threads', THREADS_DX);
    plot.marker('square', [threads.workers, threads.efficiency * 100], 'series-threads', `Thread pool, ${workersText(threads.workers)}: ${formatPercent(threads.efficiency * 100)} efficient, ${rangeText(threads)}`, THREADS_DX);
  }

  const legend = element('ul', 'chart-legend');
  legend.setAttribute('aria-label', 'Legend');
  legend.append(legendItem('Process pool', 'series-processes', 'circle'));
  if (threads) legend.append(legendItem('Thread pool', 'series-threads', 'square'));
  legend.append(legendItem('Range of the runs', 'series-processes', 'range'));
  legend.append(legendItem('Ideal: 100 %', 'series-ideal', 'line'));
  plot.figure.insertBefore(legend, plot.svg.nextSibling);
  return plot.figure;
}

function describe(result: ScalingResult): string {
  const runs = processRuns(result);
  if (runs.length === 0) return 'No process-pool run to plot.';
  const last = runs[runs.length - 1];
  return `Efficiency was ${formatPercent(runs[0].efficiency * 100)} with ${workersText(runs[0].workers)} and ${formatPercent(last.efficiency * 100)} with ${workersText(last.workers)}; 100 % would mean every worker's time went into useful work.`;
}
