// The table of runs: one row per mode (sequential, thread pool, each process pool), with
// the median wall time of its runs and their range, the speedup, how it compares with running
// alone, the efficiency and whether its results equal the sequential ones. A run with more
// workers than cores is tagged, in words, not only by colour.

import { MEANINGFUL_RATIO, MIN_RUNS, TRIMMED_FROM } from '../../shared/runSpread';
import type { RunDifference, ScalingMode, ScalingResult } from '../../shared/scaling';
import { element, formatMs, formatPercent } from '../format';
import { isOversubscribed } from './scalingFacts';
import { formatSpeedup, modeLabel, wallSpreadText } from './scalingFormat';

/** Column titles; the numeric ones align right, over their figures. */
const COLUMNS: Array<[string, boolean]> = [
  ['Mode', false],
  ['Workers', true],
  ['Wall time (median)', true],
  ['Range of the runs', true],
  ['Runs', true],
  ['Speedup', true],
  ['Against alone', false],
  ['Efficiency', true],
  ['Results', false],
];

const AGAINST_ALONE: Record<RunDifference, string> = { faster: 'faster', slower: 'slower', none: 'no measurable difference' };

export function modeTable(result: ScalingResult): HTMLElement {
  const table = element('table', 'mode-table');
  table.append(element('caption', undefined, 'Every run of the function over the same inputs'));
  const head = element('tr');
  for (const [column, numeric] of COLUMNS) {
    const cell = element('th', numeric ? 'number' : undefined, column);
    cell.scope = 'col';
    head.append(cell);
  }
  const headGroup = element('thead');
  headGroup.append(head);
  const body = element('tbody');
  body.append(...result.modes.map((mode) => modeRow(mode, result.cores)));
  table.append(headGroup, body);
  const wrapper = element('div', 'table-scroll');
  wrapper.append(table);
  const note = element(
    'p',
    'mode-table-note',
    `Each mode ran at least ${MIN_RUNS} times, each run a process of its own. The range goes from the fastest run to the slowest (from ${TRIMMED_FROM} runs on, the second fastest to the second slowest). ` +
      `A mode is faster or slower than alone only when its range and the range alone do not overlap and the medians are ${Math.round((MEANINGFUL_RATIO - 1) * 100)} % apart or more; anything less is no measurable difference.`,
  );
  const section = element('div', 'mode-runs');
  section.append(wrapper, note);
  return section;
}

function modeRow(mode: ScalingMode, cores: number): HTMLTableRowElement {
  const row = element('tr');
  row.dataset.mode = mode.mode;
  row.dataset.workers = String(mode.workers);
  const name = element('th', 'mode-name', modeLabel(mode.mode));
  name.scope = 'row';
  if (isOversubscribed(mode, cores)) {
    row.classList.add('oversubscribed');
    // A plain badge: the toolkit's vscode-tag template sets a style attribute, which the
    // panel's Content-Security-Policy refuses.
    name.append(' ', element('span', 'badge', 'more workers than cores'));
  }
  const spread = element('td', 'number spread', wallSpreadText(mode));
  spread.title = `Every run: ${mode.runsMs.map((ms) => formatMs(ms)).join(', ')}`;
  const against = mode.mode === 'sequential' ? element('td', 'against', '—') : element('td', `against against-${mode.againstSequential}`, AGAINST_ALONE[mode.againstSequential]);
  const results = element('td', mode.resultsMatch ? 'results-same' : 'results-different', mode.resultsMatch ? '✓ same' : '✗ different');
  row.append(
    name,
    element('td', 'number', String(mode.workers)),
    element('td', 'number wall', formatMs(mode.wallMs)),
    spread,
    element('td', 'number runs', String(mode.runsMs.length)),
    element('td', 'number speedup', formatSpeedup(mode.speedup)),
    against,
    element('td', 'number', formatPercent(mode.efficiency * 100)),
    results,
  );
  return row;
}
