// The table of runs: one row per mode (sequential, thread pool, each process pool), with
// its wall time, speedup, efficiency and whether its results equal the sequential ones.
// A run with more workers than cores is tagged, in words, not only by colour.

import type { ScalingMode, ScalingResult } from '../../shared/scaling';
import { element, formatMs, formatPercent } from '../format';
import { isOversubscribed } from './scalingFacts';
import { formatSpeedup, modeLabel } from './scalingFormat';

/** Column titles; the numeric ones align right, over their figures. */
const COLUMNS: Array<[string, boolean]> = [['Mode', false], ['Workers', true], ['Wall time', true], ['Speedup', true], ['Efficiency', true], ['Results', false]];

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
  return wrapper;
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
  const results = element('td', mode.resultsMatch ? 'results-same' : 'results-different', mode.resultsMatch ? '✓ same' : '✗ different');
  row.append(
    name,
    element('td', 'number', String(mode.workers)),
    element('td', 'number', formatMs(mode.wallMs)),
    element('td', 'number speedup', formatSpeedup(mode.speedup)),
    element('td', 'number', formatPercent(mode.efficiency * 100)),
    results,
  );
  return row;
}
