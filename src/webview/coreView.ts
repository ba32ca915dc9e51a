// The cores: a verdict in plain words, a bar per core (now while running, the mean after),
// and one lane per logical core over time with its busy % and the PIDs that ran there.

import type { RunRecord } from '../shared/runRecord';
import { element, formatMs, formatPercent } from './format';
import type { Palette } from './palette';

const LANE_HEIGHT = 22;
const LABEL_WIDTH = 56;
/** A process counts as running on a core in a sample interval from this much CPU. */
const RAN_THERE_CPU = 10;
/** A core that was busy at least this share of the run counts as a busy core in the verdict. */
const BUSY_CORE_MEAN = 25;

interface CoreSegment {
  from: number;
  to: number;
  pid: number;
  cpu: number;
}

export class CoreView {
  readonly root = element('section', 'view cores');
  private readonly verdict = element('p', 'verdict');
  private readonly bars = element('div', 'core-bars');
  private readonly canvas = element('canvas', 'core-lanes');
  private readonly tooltip = element('div', 'tooltip');
  private record: RunRecord | null = null;
  private segments: CoreSegment[][] = [];

  constructor(private palette: Palette) {
    this.root.setAttribute('aria-labelledby', 'cores-heading');
    const heading = element('h2', undefined, 'Cores');
    heading.id = 'cores-heading';
    this.verdict.setAttribute('aria-live', 'polite');
    this.canvas.setAttribute('role', 'img');
    this.tooltip.hidden = true;
    const lanes = element('div', 'canvas-box');
    lanes.append(this.canvas, this.tooltip);
    this.root.append(heading, this.verdict, this.bars, lanes);
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.draw();
  }

  render(record: RunRecord, live: boolean): void {
    this.record = record;
    this.segments = coreSegments(record);
    this.verdict.textContent = coreVerdict(record);
    this.renderBars(record, live);
    this.canvas.setAttribute('aria-label', `Busy % of each of the ${record.cores} cores over time. ${this.verdict.textContent}`);
    this.draw();
  }

  private renderBars(record: RunRecord, live: boolean): void {
    const latest = record.coreSamples[record.coreSamples.length - 1];
    const values = live ? latest?.usage ?? [] : meanUsagePerCore(record);
    const rows = values.map((value, core) => {
      const row = element('div', 'core-bar');
      const track = element('div', 'core-bar-track');
      const fill = element('div', 'core-bar-fill');
      fill.style.width = `${Math.min(100, Math.max(0, value))}%`;
      track.append(fill);
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', String(Math.round(value)));
      track.setAttribute('aria-label', `CPU ${core} ${live ? 'busy now' : 'busy on average'}`);
      row.append(element('span', 'core-bar-label', `CPU ${core}`), track, element('span', 'number', formatPercent(value)));
      return row;
    });
    this.bars.replaceChildren(...rows);
  }

  private draw(): void {
    const record = this.record;
    if (!record) return;
    const width = Math.max(200, this.canvas.parentElement?.clientWidth ?? 600);
    const height = Math.max(1, record.cores) * LANE_HEIGHT;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const duration = Math.max(record.durationMs, 1);
    const plot = width - LABEL_WIDTH;
    const x = (t: number): number => LABEL_WIDTH + (t / duration) * plot;
    context.font = '11px var(--vscode-font-family, sans-serif)';
    context.textBaseline = 'middle';
    for (let core = 0; core < record.cores; core++) {
      const top = core * LANE_HEIGHT;
      context.fillStyle = this.palette.foreground;
      context.fillText(`CPU ${core}`, 4, top + LANE_HEIGHT / 2);
      context.fillStyle = this.palette.grid;
      context.fillRect(LABEL_WIDTH, top + LANE_HEIGHT - 1, plot, 1);
      // Busy %: an area whose height is the share of the interval the core was busy.
      context.fillStyle = this.palette.cpu;
      let previous = 0;
      for (const sample of record.coreSamples) {
        const busy = (sample.usage[core] ?? 0) / 100;
        const h = busy * (LANE_HEIGHT - 8);
        context.fillRect(x(previous), top + LANE_HEIGHT - 1 - h, Math.max(1, x(sample.t) - x(previous)), h);
        previous = sample.t;
      }
      // Which PID ran there: a strip along the lane's top, labelled where it is wide enough.
      for (const segment of this.segments[core] ?? []) {
        const from = x(segment.from);
        const span = Math.max(1, x(segment.to) - from);
        context.fillStyle = pidColour(segment.pid, this.palette);
        context.fillRect(from, top + 1, span, 5);
        if (span > 44) {
          context.fillStyle = this.palette.foreground;
          context.fillText(String(segment.pid), from + 2, top + 11);
        }
      }
    }
  }

  private hover(event: PointerEvent): void {
    const record = this.record;
    if (!record) return;
    const bounds = this.canvas.getBoundingClientRect();
    const core = Math.floor((event.clientY - bounds.top) / LANE_HEIGHT);
    const plot = bounds.width - LABEL_WIDTH;
    const t = ((event.clientX - bounds.left - LABEL_WIDTH) / plot) * Math.max(record.durationMs, 1);
    if (core < 0 || core >= record.cores || t < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const sample = record.coreSamples.find((candidate) => candidate.t >= t);
    const pids = (this.segments[core] ?? []).filter((segment) => segment.from <= t && segment.to >= t).map((segment) => `${segment.pid} (${formatPercent(segment.cpu)})`);
    this.tooltip.textContent = `CPU ${core} at ${formatMs(t)}: ${sample ? formatPercent(sample.usage[core] ?? 0) : '—'} busy` + (pids.length ? `; ran PID ${pids.join(', ')}` : '');
    this.tooltip.style.left = `${event.clientX - bounds.left + 12}px`;
    this.tooltip.style.top = `${event.clientY - bounds.top + 12}px`;
    this.tooltip.hidden = false;
  }
}

export function meanUsagePerCore(record: RunRecord): number[] {
  const sums = new Array<number>(record.cores).fill(0);
  for (const sample of record.coreSamples) sample.usage.forEach((usage, core) => (sums[core] = (sums[core] ?? 0) + usage));
  return sums.map((sum) => (record.coreSamples.length > 0 ? sum / record.coreSamples.length : 0));
}

/** E.g. "2 of 2 cores busy 93 % of the time; 1.9 cores' worth of work". */
export function coreVerdict(record: RunRecord): string {
  if (record.coreSamples.length === 0) return 'No core measurements yet.';
  const means = meanUsagePerCore(record);
  const worth = means.reduce((sum, mean) => sum + mean, 0) / 100;
  const busy = means.filter((mean) => mean >= BUSY_CORE_MEAN);
  const work = `${worth.toFixed(1)} cores' worth of work`;
  if (busy.length === 0) return `No core was busy most of the time; ${work}. The program mostly waited or did little.`;
  const busyShare = busy.reduce((sum, mean) => sum + mean, 0) / busy.length;
  return `${busy.length} of ${record.cores} cores busy ${formatPercent(busyShare)} of the time; ${work}.`;
}

/** Per core, the intervals in which a process ran there (from its samples' `core`). */
function coreSegments(record: RunRecord): CoreSegment[][] {
  const lanes: CoreSegment[][] = Array.from({ length: record.cores }, () => []);
  for (const process of record.processes) {
    if (!process) continue;
    let previous = process.startMs;
    for (const sample of process.samples) {
      if (sample.core !== null && sample.cpu >= RAN_THERE_CPU && lanes[sample.core]) {
        lanes[sample.core].push({ from: previous, to: sample.t, pid: process.pid, cpu: sample.cpu });
      }
      previous = sample.t;
    }
  }
  return lanes;
}

function pidColour(pid: number, palette: Palette): string {
  const cycle = [palette.hold, palette.task, palette.message, palette.cpu, palette.wait];
  return cycle[pid % cycle.length];
}
