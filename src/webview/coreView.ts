// The cores: a verdict in plain words, a bar per core (now while running, the mean after),
// and one lane per logical core over time with the PIDs that ran there. Each core's busy %
// is split into the run's own share (in colour) and other programs' (grey): other
// programs' load is shown, never added to the run's.

import { coreMeans, coreShareText, coreWaitSentence, type CoreMeans } from '../shared/cpuFigures';
import type { RunRecord } from '../shared/runRecord';
import { element, formatMs, formatPercent } from './format';
import type { Palette } from './palette';

const LANE_HEIGHT = 22;
const LABEL_WIDTH = 56;
/** A process counts as running on a core in a sample interval from this much CPU. */
const RAN_THERE_CPU = 10;
/** A core busy with the run at least this share of the run counts as a busy core in the verdict. */
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
  private readonly legend = element('p', 'core-legend');
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
    this.root.append(heading, this.verdict, this.legend, this.bars, lanes);
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
    const means = coreMeans(record);
    this.verdict.textContent = coreVerdict(record, means);
    this.legend.textContent = splitKnown(record)
      ? 'Green: your run’s processes. Grey: other programs on this machine, not your run.'
      : 'Grey: all programs on this machine. Which cores ran your processes is not known here (this platform does not say, or the run was recorded before Parallel Lab measured it).';
    this.renderBars(record, live, means);
    this.canvas.setAttribute('aria-label', `Each of the ${record.cores} cores over time. ${this.verdict.textContent}`);
    this.draw();
  }

  /** Now while running, the means over the run after. */
  private renderBars(record: RunRecord, live: boolean, means: CoreMeans): void {
    const latest = record.coreSamples[record.coreSamples.length - 1];
    const busyValues = live ? latest?.usage ?? [] : means.busy;
    const runValues = live ? latest?.run ?? null : means.run;
    const rows = busyValues.map((busy, core) => {
      const run = runValues === null ? null : runValues[core] ?? 0;
      const row = element('div', 'core-bar');
      const track = element('div', 'core-bar-track');
      const runFill = element('div', 'core-bar-fill run');
      const othersFill = element('div', 'core-bar-fill others');
      runFill.style.width = `${clampPercent(run ?? 0)}%`;
      othersFill.style.width = `${clampPercent(run === null ? busy : Math.min(busy - run, 100 - run))}%`;
      track.append(runFill, othersFill);
      const text = coreShareText(busy, run);
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', String(Math.round(run ?? busy)));
      track.setAttribute('aria-label', `CPU ${core} ${live ? 'now' : 'on average'}: ${text}`);
      row.append(element('span', 'core-bar-label', `CPU ${core}`), track, element('span', 'core-bar-text', text));
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
      // Busy %: the run's share at the bottom, other programs' stacked on it in grey; the
      // height of both is the share of the interval the core was busy.
      const laneHeight = LANE_HEIGHT - 8;
      let previous = 0;
      for (const sample of record.coreSamples) {
        const busy = clampPercent(sample.usage[core] ?? 0) / 100;
        const run = sample.run === undefined ? 0 : Math.min(clampPercent(sample.run[core] ?? 0) / 100, 1);
        const left = x(previous);
        const width = Math.max(1, x(sample.t) - left);
        const bottom = top + LANE_HEIGHT - 1;
        context.fillStyle = this.palette.cpu;
        context.fillRect(left, bottom - run * laneHeight, width, run * laneHeight);
        const others = Math.max(0, busy - run);
        context.fillStyle = this.palette.muted;
        context.globalAlpha = 0.45;
        context.fillRect(left, bottom - (run + others) * laneHeight, width, others * laneHeight);
        context.globalAlpha = 1;
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
    const share = sample ? coreShareText(sample.usage[core] ?? 0, sample.run === undefined ? null : sample.run[core] ?? 0) : '—';
    this.tooltip.textContent = `CPU ${core} at ${formatMs(t)}: ${share}` + (pids.length ? `; ran PID ${pids.join(', ')}` : '');
    this.tooltip.style.left = `${event.clientX - bounds.left + 12}px`;
    this.tooltip.style.top = `${event.clientY - bounds.top + 12}px`;
    this.tooltip.hidden = false;
  }
}

/** Whether the record says which part of each core's load was the run's. */
function splitKnown(record: RunRecord): boolean {
  return record.coreSamples.length > 0 && record.coreSamples.every((sample) => sample.run !== undefined);
}

/**
 * E.g. "Your run did 1.9 cores' worth of work: 2 of 2 cores were busy with it 95 % of the
 * time. Other programs: 0.1 cores' worth (grey), not counted in your run."
 */
export function coreVerdict(record: RunRecord, means: CoreMeans = coreMeans(record)): string {
  if (record.coreSamples.length === 0) return 'No core measurements yet.';
  const wait = coreWaitSentence(record);
  const sentences: string[] = [];
  if (means.runCores === null) {
    // A record from before the run's share was measured: all programs' load, as such.
    const worth = means.busy.reduce((sum, mean) => sum + mean, 0) / 100;
    sentences.push(`All programs on this machine together did ${worth.toFixed(1)} cores' worth of work; this record does not say how much of it was your run.`);
  } else if (means.run === null) {
    sentences.push(`Your run did ${means.runCores.toFixed(1)} cores' worth of work. This platform does not say which cores ran it: the lanes show all programs.`);
  } else {
    const busy = means.run.filter((mean) => mean >= BUSY_CORE_MEAN);
    const work = `Your run did ${means.runCores.toFixed(1)} cores' worth of work`;
    if (busy.length === 0) sentences.push(`${work}: no core was busy with it most of the time. It mostly waited or did little.`);
    else sentences.push(`${work}: ${busy.length} of ${record.cores} cores were busy with it ${formatPercent(busy.reduce((sum, mean) => sum + mean, 0) / busy.length)} of the time.`);
  }
  if (means.othersCores !== null && means.othersCores >= 0.05) {
    sentences.push(`Other programs: ${means.othersCores.toFixed(1)} cores' worth (grey), not counted in your run.`);
  }
  if (wait !== null) sentences.push(wait);
  return sentences.join(' ');
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
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
