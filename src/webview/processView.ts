// The processes table: a tree of PIDs (children indented under their parent), with role,
// name, state, CPU now and over its life, CPU time, the time it waited for a free core, a
// CPU sparkline, memory and the core each last ran on. Processes that ended stay listed,
// so short-lived ones are not lost; one shorter than a sample still shows the CPU the
// tracer measured. Under it, the threads of each process that had two or more, with how
// they shared the process's stove (its GIL) in plain words.

import { processCpu } from '../shared/cpuFigures';
import type { ProcessEntry, RunRecord } from '../shared/runRecord';
import { isFastSample, lifeOnACore, processStoveSentence, timeTotals } from '../shared/threadShares';
import { element, formatBytes, formatMs, formatPercent } from './format';
import { processesAsTree } from '../shared/processHierarchy';

const SVG = 'http://www.w3.org/2000/svg';
const SPARK_WIDTH = 80;
const SPARK_HEIGHT = 18;
const INDENT_PX = 14;

export class ProcessView {
  readonly root = element('section', 'view processes');
  private readonly body = element('tbody');
  private readonly threads = element('div', 'thread-tables');

  constructor() {
    this.root.setAttribute('aria-labelledby', 'processes-heading');
    const heading = element('h2', undefined, 'Processes');
    heading.id = 'processes-heading';
    const table = element('table', 'process-table');
    const head = element('thead');
    const row = element('tr');
    for (const title of ['PID', 'Role', 'Name', 'State', 'CPU now', 'CPU mean', 'CPU time', 'Waited for a core', 'CPU over time', 'Memory', 'Last core']) {
      const cell = element('th', undefined, title);
      cell.scope = 'col';
      row.append(cell);
    }
    head.append(row);
    table.append(head, this.body);
    // A narrow panel scrolls the table sideways within its own box (PID column kept in
    // view) rather than letting it spill over the views beside it.
    const scroller = element('div', 'table-scroll');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-labelledby', 'processes-heading');
    scroller.append(table);
    this.root.append(heading, scroller, this.threads);
  }

  render(record: RunRecord, live: boolean): void {
    const tree = processesAsTree(record.processes);
    this.body.replaceChildren(...tree.map(({ process, depth }) => processRow(process, depth, live, record.durationMs)));
    const gilEnabled = record.python.gilEnabled !== false;
    this.threads.replaceChildren(...tree.filter(({ process }) => (process.threads?.length ?? 0) >= 2).map(({ process }) => threadTable(process, gilEnabled, record.durationMs)));
  }
}

/**
 * One process's threads: name, native id, CPU time, the share of its life each spent on a
 * core, and its wait for the GIL (told apart only while its process was read fast) with its
 * share of that time; above them, the stove in plain words.
 */
function threadTable(process: ProcessEntry, gilEnabled: boolean, nowMs: number): HTMLElement {
  const box = element('div', 'threads-of');
  box.dataset.pid = String(process.pid);
  const title = element('h3', undefined, `Threads of PID ${process.pid} (${process.name})`);
  title.id = `threads-of-${process.pid}`;
  const table = element('table', 'thread-table');
  table.setAttribute('aria-labelledby', title.id);
  const head = element('tr');
  for (const title of ['Thread', 'TID', 'CPU time', 'On a core (share of its life)', 'Waited for the GIL (share of the time read fast)']) {
    const cell = element('th', undefined, title);
    cell.scope = 'col';
    head.append(cell);
  }
  const headGroup = element('thead');
  headGroup.append(head);
  const body = element('tbody');
  for (const thread of process.threads ?? []) {
    const row = element('tr');
    row.dataset.tid = String(thread.tid);
    const name = element('th', 'name', thread.python ? thread.name : `${thread.name} (not started by Python)`);
    name.scope = 'row';
    const onACore = lifeOnACore(thread, nowMs);
    const fast = timeTotals(thread.samples.filter(isFastSample));
    row.append(
      name,
      element('td', 'number', String(thread.tid)),
      element('td', 'number', thread.cpuMs === null ? '—' : formatMs(thread.cpuMs)),
      element('td', 'number', onACore === null ? '—' : formatPercent(onACore * 100)),
      element('td', 'number', gilWaitText(fast.gilWaitMs, fast.totalMs)),
    );
    body.append(row);
  }
  table.append(headGroup, body);
  const scroller = element('div', 'table-scroll');
  scroller.append(table);
  box.append(title);
  const sentence = processStoveSentence(process, gilEnabled);
  if (sentence) box.append(element('p', 'stove-sentence', sentence));
  box.append(scroller);
  return box;
}

/** "—" where the thread was never read fast, "none" where it never waited, else the wait and its share. */
function gilWaitText(gilWaitMs: number, fastMs: number): string {
  if (fastMs <= 0) return '—';
  return gilWaitMs > 0 ? `${formatMs(gilWaitMs)} (${formatPercent((gilWaitMs / fastMs) * 100)})` : 'none';
}

function processRow(process: ProcessEntry, depth: number, live: boolean, nowMs: number): HTMLTableRowElement {
  const row = element('tr');
  row.dataset.pid = String(process.pid);
  const pidCell = element('th', 'pid', String(process.pid));
  pidCell.scope = 'row';
  pidCell.style.paddingLeft = `${depth * INDENT_PX + 4}px`;
  if (depth > 0) pidCell.setAttribute('aria-label', `${process.pid}, child of ${process.ppid}`);
  const last = process.samples[process.samples.length - 1];
  const running = live && process.endMs === null;
  const cpus = process.samples.map((sample) => sample.cpu);
  const cpu = processCpu(process, nowMs);
  row.append(
    pidCell,
    element('td', 'role', process.role),
    element('td', 'name', process.name),
    element('td', 'state', stateText(process, running)),
    element('td', 'number', running && last ? formatPercent(last.cpu) : '—'),
    element('td', 'number', cpu.meanCpu === null ? '—' : formatPercent(cpu.meanCpu)),
    element('td', 'number', cpu.cpuMs === null ? '—' : formatMs(cpu.cpuMs)),
    element('td', 'number', cpu.runQueueMs === null ? '—' : formatMs(cpu.runQueueMs)),
    sparkCell(cpus),
    element('td', 'number', last ? formatBytes(last.rssBytes) : '—'),
    element('td', 'number', lastCore(process)),
  );
  return row;
}

function stateText(process: ProcessEntry, running: boolean): string {
  if (running) return 'running';
  if (process.exitCode === null) return 'ended';
  return `exited with code ${process.exitCode}`;
}

function lastCore(process: ProcessEntry): string {
  for (let i = process.samples.length - 1; i >= 0; i--) {
    const core = process.samples[i].core;
    if (core !== null) return `CPU ${core}`;
  }
  return '—';
}

function sparkCell(all: number[]): HTMLTableCellElement {
  const cell = element('td', 'spark');
  const cpus = peaksPerBucket(all, SPARK_WIDTH);
  if (cpus.length < 2) return cell;
  const top = Math.max(100, ...cpus);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(SPARK_WIDTH));
  svg.setAttribute('height', String(SPARK_HEIGHT));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `CPU from ${formatPercent(cpus[0])} to ${formatPercent(cpus[cpus.length - 1])}, peak ${formatPercent(Math.max(...cpus))}`);
  const line = document.createElementNS(SVG, 'polyline');
  const step = SPARK_WIDTH / (cpus.length - 1);
  line.setAttribute('points', cpus.map((cpu, i) => `${(i * step).toFixed(1)},${(SPARK_HEIGHT - 1 - (cpu / top) * (SPARK_HEIGHT - 2)).toFixed(1)}`).join(' '));
  svg.append(line);
  cell.append(svg);
  return cell;
}

/** At most `buckets` values, each the peak of its bucket: a spike stays visible in a long run. */
function peaksPerBucket(values: number[], buckets: number): number[] {
  if (values.length <= buckets) return values;
  const peaks: number[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor((bucket * values.length) / buckets);
    const to = Math.floor(((bucket + 1) * values.length) / buckets);
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, values[i]);
    peaks.push(peak);
  }
  return peaks;
}
