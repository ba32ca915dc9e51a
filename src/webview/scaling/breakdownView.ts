// Where the missing speedup went, per process-pool run: how far the run was behind the
// ideal, and the measured costs (start-up, pickling, lock waits, the idle tail) as numbers
// and as a stacked bar. Each bar part has its own fill pattern, so parts differ in shape as
// well as colour, and a glossary says what each part means in plain words.

import type { ScalingBreakdown, ScalingResult } from '../../shared/scaling';
import { element, formatBytes, formatMs } from '../format';
import { idealWallMs, processRunWith } from './scalingFacts';
import { svgElement } from './plot';

interface Part {
  key: 'startup' | 'transfer' | 'lock' | 'idle' | 'slower';
  name: string;
  meaning: string;
  /** Undefined when the engine did not measure it (older results). */
  ms(breakdown: ScalingBreakdown): number | undefined;
}

const PARTS: Part[] = [
  { key: 'startup', name: 'Start-up', meaning: 'time until the last worker process was running; paid again by every new pool.', ms: (b) => b.startupMs },
  { key: 'transfer', name: 'Blocked on pickling', meaning: 'inputs and results are pickled into bytes (the Pickled column) and sent between processes; this is the time processes waited sending or receiving them.', ms: (b) => b.transferMs },
  { key: 'lock', name: 'Lock wait', meaning: 'time processes waited for a lock another process held.', ms: (b) => b.lockWaitMs },
  { key: 'idle', name: 'Idle tail', meaning: 'workers that ran out of tasks early, waiting for the slowest one to finish (summed over workers).', ms: (b) => b.idleTailMs },
  { key: 'slower', name: 'Slower work', meaning: "the same work took the workers longer than the sequential run (cores shared with more workers or other programs, caches, memory bandwidth).", ms: (b) => b.slowerWorkMs },
];

function partMs(part: Part, breakdown: ScalingBreakdown): number {
  return part.ms(breakdown) ?? 0;
}

const BAR_WIDTH = 160;
const BAR_HEIGHT = 12;

export function breakdownView(result: ScalingResult): HTMLElement {
  const section = element('section', 'scaling-breakdown');
  section.setAttribute('aria-labelledby', 'breakdown-heading');
  const heading = element('h3', undefined, 'Where the missing speedup went');
  heading.id = 'breakdown-heading';
  section.append(heading);
  if (result.breakdown.length === 0) {
    section.append(element('p', undefined, 'No process-pool run was measured, so there is nothing to break down.'));
    return section;
  }
  const rows = [...result.breakdown].sort((a, b) => a.workers - b.workers);
  const longest = Math.max(...rows.map((row) => PARTS.reduce((sum, part) => sum + partMs(part, row), 0)));
  const table = element('table', 'breakdown-table');
  table.append(element('caption', undefined, 'Costs measured in each process-pool run'));
  const head = element('tr');
  const columns = ['Workers', 'Behind ideal', 'Pickled', ...PARTS.map((part) => part.name), 'Share of the costs'];
  for (const [index, column] of columns.entries()) {
    // Every column but the bar holds a figure, aligned right under its title.
    const cell = element('th', index < columns.length - 1 ? 'number' : undefined, column);
    cell.scope = 'col';
    head.append(cell);
  }
  const headGroup = element('thead');
  headGroup.append(head);
  const body = element('tbody');
  body.append(...rows.map((row) => breakdownRow(result, row, longest)));
  table.append(headGroup, body);
  const wrapper = element('div', 'table-scroll');
  wrapper.append(table);
  section.append(patternDefinitions(), wrapper, glossary());
  return section;
}

function breakdownRow(result: ScalingResult, breakdown: ScalingBreakdown, longest: number): HTMLTableRowElement {
  const row = element('tr');
  row.dataset.workers = String(breakdown.workers);
  const workers = element('th', 'number', String(breakdown.workers));
  workers.scope = 'row';
  row.append(
    workers,
    element('td', 'number', behindIdeal(result, breakdown.workers)),
    element('td', 'number', formatBytes(breakdown.pickledBytes)),
    ...PARTS.map((part) => {
      const ms = part.ms(breakdown);
      return element('td', 'number', ms === undefined ? '—' : formatMs(ms));
    }),
    barCell(breakdown, longest),
  );
  return row;
}

/** The run's wall time minus the ideal one: the speedup that went missing, in time. */
function behindIdeal(result: ScalingResult, workers: number): string {
  const run = processRunWith(result, workers);
  const ideal = idealWallMs(result, workers);
  if (!run || ideal === null) return '—';
  return formatMs(Math.max(0, run.wallMs - ideal));
}

/** One bar per run, all on the same scale, so runs compare by length. */
function barCell(breakdown: ScalingBreakdown, longest: number): HTMLTableCellElement {
  const cell = element('td', 'breakdown-bar');
  if (longest <= 0) return cell;
  const words = PARTS.map((part) => `${part.name} ${formatMs(partMs(part, breakdown))}`).join(', ');
  const bar = svgElement('svg', { viewBox: `0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`, width: BAR_WIDTH, height: BAR_HEIGHT, role: 'img', 'aria-label': words }, 'stacked-bar');
  let x = 0;
  for (const part of PARTS) {
    const width = (partMs(part, breakdown) / longest) * BAR_WIDTH;
    if (width <= 0) continue;
    const segment = svgElement('rect', { x: x.toFixed(2), y: 0, width: width.toFixed(2), height: BAR_HEIGHT }, `segment segment-${part.key}`);
    const title = svgElement('title', {});
    title.textContent = `${part.name}: ${formatMs(partMs(part, breakdown))}`;
    segment.append(title);
    bar.append(segment);
    x += width;
  }
  cell.append(bar);
  return cell;
}

/** The fill patterns of the bar parts, defined once for the page (styles.css refers to their ids). */
function patternDefinitions(): SVGSVGElement {
  const holder = svgElement('svg', { width: 0, height: 0, 'aria-hidden': 'true' }, 'pattern-definitions');
  const defs = svgElement('defs', {});
  const pattern = (id: string, background: string, mark: SVGElement): SVGPatternElement => {
    const created = svgElement('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse' });
    created.append(svgElement('rect', { width: 6, height: 6 }, background), mark);
    return created;
  };
  defs.append(
    pattern('pattern-transfer', 'segment-transfer-fill', svgElement('path', { d: 'M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2' }, 'pattern-mark')),
    pattern('pattern-lock', 'segment-lock-fill', svgElement('circle', { cx: 3, cy: 3, r: 1.2 }, 'pattern-dot')),
    pattern('pattern-idle', 'segment-idle-fill', svgElement('path', { d: 'M0,3 h6' }, 'pattern-mark')),
    pattern('pattern-slower', 'segment-slower-fill', svgElement('path', { d: 'M3,0 v6' }, 'pattern-mark')),
  );
  holder.append(defs);
  return holder;
}

function glossary(): HTMLElement {
  const list = element('dl', 'breakdown-glossary');
  for (const part of PARTS) {
    const term = element('dt');
    const swatch = svgElement('svg', { viewBox: '0 0 14 10', width: 14, height: 10, 'aria-hidden': 'true' }, 'legend-swatch');
    swatch.append(svgElement('rect', { width: 14, height: 10 }, `segment segment-${part.key}`));
    term.append(swatch, document.createTextNode(part.name));
    list.append(term, element('dd', undefined, part.meaning));
  }
  list.append(element('dt', undefined, 'Behind ideal'), element('dd', undefined, "the run's wall time minus the sequential time split evenly over the workers (or the cores, if fewer). The costs above overlap and run in parallel, so they need not add up to it."));
  return list;
}
