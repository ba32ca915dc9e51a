// Paints the timeline on a canvas: only the visible time range, and events narrower than a
// pixel merged into one rectangle per pixel column, so a million lock events cost one pass
// over the visible ones and a few thousand rectangles.
//
// Meaning is never carried by colour alone: waits for a lock are hatched, holds are solid,
// waits for a signal (an Event, a Barrier, a Condition's notify) are a thin bar in the middle
// of the lock row, tasks are outlined boxes, messages are arrows; on a thread's lane, running
// is solid, waiting for the GIL cross-hatched, waiting for a core hatched like the CPU row's
// wait, and sleeping a thin line; the stove row writes each turn's thread name where it
// fits; the legend says so in words.

import type { Palette } from '../palette';
import { formatMs } from '../format';
import { AXIS_HEIGHT, LABEL_WIDTH, ROWS, rowOf, type Viewport } from './layout';
import { bundleArrows, isArrow, type ArrowStats } from './arrowBundles';
import { firstReaching, type IntervalIndex, type Lane, type LockIntervals, type ProcessLane, type StoveLane, type ThreadLane, type TimelineModel } from './model';
import { threadStateRuns, type DrawnThreadState } from './threadStates';
import { columnRuns, kindPerColumn } from './pixelColumns';

/** Message counts are kept apart on a grid of cells this size (CSS pixels). */
const LABEL_CELL_WIDTH = 12;
const LABEL_CELL_HEIGHT = 8;
/** The tallest band of run-queue wait above a CPU row, and the least share of an interval drawn. */
const RUN_QUEUE_BAND_PX = 4;
const MIN_SHOWN_RUN_QUEUE_SHARE = 0.05;
/** The height of a wait for a signal: a thin bar, unlike a lock's full-height wait and hold. */
const SIGNAL_BAR_PX = 4;
/** A sleeping thread's line, across the middle of its row: thin, unlike the solid running and the hatched waits to run. */
const ASLEEP_BAR_PX = 3;
/** Thread and stove lanes' labels sit this far in, under their process's. */
const SUB_LANE_INDENT = 14;
const SWATCH_PX = 8;

export interface Highlight {
  lane: number;
  row: 'lock' | 'task';
  position: number;
}

export class TimelineRenderer {
  private waitPattern: CanvasPattern | null = null;
  private patternColour = '';
  private gilPattern: CanvasPattern | null = null;
  private gilPatternColour = '';
  /** Reused per lane: which pixel columns hold a sub-pixel wait / hold / task. */
  private waitColumns = new Uint8Array(0);
  private holdColumns = new Uint8Array(0);
  private signalColumns = new Uint8Array(0);
  private taskColumns = new Uint8Array(0);
  /** What the last draw showed of the messages (for the tests). */
  arrowStats: ArrowStats = { messages: 0, marks: 0, single: 0 };

  draw(context: CanvasRenderingContext2D, model: TimelineModel, viewport: Viewport, palette: Palette, width: number, highlight: Highlight | null): void {
    const height = model.geometry.totalHeight;
    context.clearRect(0, 0, width, height);
    context.font = '11px var(--vscode-font-family, sans-serif)';
    context.textBaseline = 'middle';
    this.ensureColumns(width);
    this.ensurePatterns(context, palette);
    this.drawAxis(context, viewport, palette, width, height);
    context.save();
    context.beginPath();
    context.rect(LABEL_WIDTH, 0, width - LABEL_WIDTH, height);
    context.clip();
    model.lanes.forEach((lane, index) => this.drawLane(context, model, lane, index, viewport, palette, width));
    this.drawArrows(context, model, viewport, palette);
    if (highlight) this.drawHighlight(context, model, highlight, viewport, palette);
    context.restore();
    model.lanes.forEach((lane, index) => this.drawLabel(context, lane, model.geometry.top(index), model.geometry.height(index), palette));
  }

  /**
   * The label column: a process's PID and name (with ▾ or ▸ when it has thread lanes to show
   * or fold), and under it, indented, the stove row and each thread's name.
   */
  private drawLabel(context: CanvasRenderingContext2D, lane: Lane, top: number, height: number, palette: Palette): void {
    const middle = top + height / 2;
    context.fillStyle = palette.foreground;
    if (lane.kind === 'process') {
      const text = lane.threadCount >= 2 ? `${lane.folded ? '▸' : '▾'} ${lane.label}` : lane.label;
      context.fillText(truncate(text, 22), 6, middle);
      return;
    }
    let x = SUB_LANE_INDENT;
    if (lane.kind === 'thread' && lane.onStove) {
      context.fillStyle = stoveColour(palette, lane.threadIndex);
      context.fillRect(x, middle - SWATCH_PX / 2, SWATCH_PX, SWATCH_PX);
      x += SWATCH_PX + 4;
    }
    context.fillStyle = lane.kind === 'stove' ? palette.muted : palette.foreground;
    context.fillText(truncate(lane.label, 20), x, middle);
  }

  private drawAxis(context: CanvasRenderingContext2D, viewport: Viewport, palette: Palette, width: number, height: number): void {
    const step = niceStep(viewport.spanMs / Math.max(1, viewport.plotWidth / 110));
    const first = Math.ceil(viewport.startMs / step) * step;
    context.fillStyle = palette.muted;
    for (let t = first; t <= viewport.endMs; t += step) {
      const x = Math.round(viewport.toX(t)) + 0.5;
      context.fillRect(x, AXIS_HEIGHT - 6, 1, height - AXIS_HEIGHT + 6);
      context.fillText(formatMs(t), x + 3, AXIS_HEIGHT / 2 - 2);
    }
    context.fillStyle = palette.border;
    context.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  }

  private drawLane(context: CanvasRenderingContext2D, model: TimelineModel, lane: Lane, index: number, viewport: Viewport, palette: Palette, width: number): void {
    const top = model.geometry.top(index);
    const bottom = top + model.geometry.height(index);
    // A process's own lanes are parted by a faint line; processes by the border.
    const next = model.lanes[index + 1];
    context.fillStyle = next === undefined || next.kind === 'process' ? palette.border : palette.grid;
    context.fillRect(LABEL_WIDTH, bottom - 1, width - LABEL_WIDTH, 1);
    switch (lane.kind) {
      case 'process':
        this.drawCpu(context, lane, top, viewport, palette);
        this.drawLocks(context, lane.locks, top, ROWS.lock, viewport, palette, width);
        this.drawTasks(context, lane.tasks, top, viewport, palette, width);
        break;
      case 'stove':
        this.drawStove(context, lane, top, viewport, palette, width);
        break;
      case 'thread':
        this.drawThreadStates(context, lane, top, viewport, palette, width);
        this.drawLocks(context, lane.locks, top, rowOf('thread', 'lock') ?? ROWS.lock, viewport, palette, width);
        break;
    }
  }

  /** The CPU band: a step area, its height the process's CPU (one core full = the row's height). */
  private drawCpu(context: CanvasRenderingContext2D, lane: ProcessLane, top: number, viewport: Viewport, palette: Palette): void {
    const process = lane.process;
    if (!process) return;
    const [rowTop, rowBottom] = ROWS.cpu;
    const rowHeight = rowBottom - rowTop;
    // The lifetime: a thin line from start to end, so an idle process is still visible.
    const lifeEnd = process.endMs ?? viewport.endMs;
    context.fillStyle = palette.muted;
    context.fillRect(viewport.toX(process.startMs), top + rowBottom, Math.max(1, viewport.toX(lifeEnd) - viewport.toX(process.startMs)), 1);
    context.fillStyle = palette.cpu;
    context.beginPath();
    // Ready to run but no free core: hatched (as waits are), along the row's top, as thick
    // as the share of the interval its threads waited (several threads can fill it).
    const queued = new Path2D();
    const samples = process.samples;
    let previous = process.startMs;
    for (const sample of samples) {
      if (sample.t >= viewport.startMs && previous <= viewport.endMs) {
        const h = Math.min(1, sample.cpu / 100) * rowHeight;
        const x0 = viewport.toX(previous);
        const w = Math.max(1, viewport.toX(sample.t) - x0);
        context.rect(x0, top + rowBottom - h, w, h);
        const waited = sample.runQueueMs === undefined || sample.t <= previous ? 0 : Math.min(1, sample.runQueueMs / (sample.t - previous));
        if (waited >= MIN_SHOWN_RUN_QUEUE_SHARE) queued.rect(x0, top + rowTop - 2, w, Math.max(1, waited * RUN_QUEUE_BAND_PX));
      }
      previous = sample.t;
    }
    context.fill();
    context.fillStyle = this.waitPattern ?? palette.wait;
    context.fill(queued);
  }

  private drawLocks(context: CanvasRenderingContext2D, index: LockIntervals, top: number, row: readonly [number, number], viewport: Viewport, palette: Palette, width: number): void {
    if (index.source.length === 0) return;
    const [rowTop, rowBottom] = row;
    // A hold is inset from the wait's box, so a wait followed by its hold reads as two parts.
    const inset = rowBottom - rowTop >= 14 ? 3 : 2;
    const waitPath = new Path2D();
    const holdPath = new Path2D();
    const signalPath = new Path2D();
    this.waitColumns.fill(0);
    this.holdColumns.fill(0);
    this.signalColumns.fill(0);
    const signalTop = top + (rowTop + rowBottom) / 2 - SIGNAL_BAR_PX / 2;
    const { starts, ends, acquired, signal } = index;
    const startMs = viewport.startMs;
    const endMs = viewport.endMs;
    const scale = viewport.plotWidth / viewport.spanMs;
    for (let k = firstReaching(index, startMs); k < starts.length && starts[k] <= endMs; k++) {
      if (signal[k] === 1) {
        addSpan(signalPath, this.signalColumns, LABEL_WIDTH + (starts[k] - startMs) * scale, LABEL_WIDTH + (ends[k] - startMs) * scale, signalTop, SIGNAL_BAR_PX);
        continue;
      }
      const holdStart = acquired[k];
      const waitEnd = Number.isNaN(holdStart) ? ends[k] : holdStart;
      if (waitEnd > starts[k]) addSpan(waitPath, this.waitColumns, LABEL_WIDTH + (starts[k] - startMs) * scale, LABEL_WIDTH + (waitEnd - startMs) * scale, top + rowTop, rowBottom - rowTop);
      if (!Number.isNaN(holdStart)) addSpan(holdPath, this.holdColumns, LABEL_WIDTH + (holdStart - startMs) * scale, LABEL_WIDTH + (ends[k] - startMs) * scale, top + rowTop + inset, rowBottom - rowTop - 2 * inset);
    }
    addColumnRuns(waitPath, this.waitColumns, width, top + rowTop, rowBottom - rowTop);
    addColumnRuns(holdPath, this.holdColumns, width, top + rowTop + inset, rowBottom - rowTop - 2 * inset);
    addColumnRuns(signalPath, this.signalColumns, width, signalTop, SIGNAL_BAR_PX);
    context.fillStyle = palette.signal;
    context.fill(signalPath);
    context.fillStyle = palette.hold;
    context.fill(holdPath);
    context.fillStyle = this.waitPattern ?? palette.wait;
    context.fill(waitPath);
    if (palette.contrastBorder) {
      context.strokeStyle = palette.contrastBorder;
      context.stroke(waitPath);
      context.stroke(holdPath);
      context.stroke(signalPath);
    }
  }

  /**
   * A thread's state over time, from its samples: each sample's state over the interval it
   * covers (neighbours in one state joined; within a pixel, the state that took most of it).
   * A thin line marks its life.
   */
  private drawThreadStates(context: CanvasRenderingContext2D, lane: ThreadLane, top: number, viewport: Viewport, palette: Palette, width: number): void {
    const [rowTop, rowBottom] = rowOf('thread', 'state') ?? ROWS.cpu;
    const { thread } = lane;
    const lifeEnd = thread.endMs ?? viewport.endMs;
    context.fillStyle = palette.muted;
    context.fillRect(viewport.toX(thread.startMs), top + rowBottom, Math.max(1, viewport.toX(lifeEnd) - viewport.toX(thread.startMs)), 1);
    const paths: Record<DrawnThreadState, Path2D> = { running: new Path2D(), 'waiting-for-gil': new Path2D(), 'waiting-for-core': new Path2D(), waiting: new Path2D() };
    for (const run of threadStateRuns(lane.states, viewport, width)) {
      const asleep = run.state === 'waiting';
      const y = asleep ? top + (rowTop + rowBottom - ASLEEP_BAR_PX) / 2 : top + rowTop;
      paths[run.state].rect(run.x0, y, run.x1 - run.x0, asleep ? ASLEEP_BAR_PX : rowBottom - rowTop);
    }
    context.fillStyle = palette.cpu;
    context.fill(paths.running);
    context.fillStyle = this.gilPattern ?? palette.gil;
    context.fill(paths['waiting-for-gil']);
    context.fillStyle = this.waitPattern ?? palette.wait;
    context.fill(paths['waiting-for-core']);
    context.fillStyle = palette.muted;
    context.fill(paths.waiting);
    if (palette.contrastBorder) {
      context.strokeStyle = palette.contrastBorder;
      for (const path of Object.values(paths)) context.stroke(path);
    }
  }

  /**
   * The stove row: each turn in the colour of the thread that held the GIL (its swatch is on
   * its lane's label), its name written where the turn is wide enough; within a pixel, the
   * thread that held it most of that pixel.
   */
  private drawStove(context: CanvasRenderingContext2D, lane: StoveLane, top: number, viewport: Viewport, palette: Palette, width: number): void {
    const [rowTop, rowBottom] = rowOf('stove', 'turns') ?? ROWS.cpu;
    const { turns: all } = lane;
    const turns = columnRuns(kindPerColumn(all.length, (i) => all[i].fromMs, (i) => all[i].toMs, (i) => all[i].holder, viewport, width));
    const threads = lane.process.threads ?? [];
    const names: Array<{ text: string; x: number }> = [];
    context.font = '10px var(--vscode-font-family, sans-serif)';
    for (const { kind: holder, x0, x1 } of turns) {
      context.fillStyle = stoveColour(palette, holder);
      context.fillRect(x0, top + rowTop, x1 - x0, rowBottom - rowTop);
      const text = threads[holder]?.name ?? '';
      if (context.measureText(text).width + 6 <= x1 - x0) names.push({ text, x: x0 + 3 });
    }
    // Dark on the light theme's colours and light on the dark theme's: the page's background.
    context.fillStyle = palette.background;
    for (const name of names) context.fillText(name.text, name.x, top + (rowTop + rowBottom) / 2);
    context.font = '11px var(--vscode-font-family, sans-serif)';
  }

  private drawTasks(context: CanvasRenderingContext2D, index: IntervalIndex, top: number, viewport: Viewport, palette: Palette, width: number): void {
    if (index.source.length === 0) return;
    const [rowTop, rowBottom] = ROWS.task;
    const path = new Path2D();
    this.taskColumns.fill(0);
    for (let k = firstReaching(index, viewport.startMs); k < index.starts.length && index.starts[k] <= viewport.endMs; k++) {
      addSpan(path, this.taskColumns, viewport.toX(index.starts[k]), viewport.toX(index.ends[k]), top + rowTop, rowBottom - rowTop);
    }
    addColumnRuns(path, this.taskColumns, width, top + rowTop, rowBottom - rowTop);
    context.fillStyle = palette.task;
    context.globalAlpha = 0.45;
    context.fill(path);
    context.globalAlpha = 1;
    context.strokeStyle = palette.task;
    context.stroke(path);
  }

  /**
   * Messages: one arrow per message where they are apart; where several between the same two
   * lanes fall within a few pixels, one arrow marked with their count, or a shaded fan from
   * their sends to the span of their receipts (arrowBundles.ts).
   */
  private drawArrows(context: CanvasRenderingContext2D, model: TimelineModel, viewport: Viewport, palette: Palette): void {
    const bundles = bundleArrows(model.arrows, viewport, model.lanes.length);
    const lines = new Path2D();
    const heads = new Path2D();
    const fans = new Path2D();
    const labels: Array<{ text: string; x: number; y: number }> = [];
    const taken = new Set<number>();
    context.font = '10px var(--vscode-font-family, sans-serif)';
    let messages = 0;
    let single = 0;
    for (const bundle of bundles) {
      messages += bundle.count;
      if (bundle.count === 1) single++;
      const y0 = model.geometry.top(bundle.fromLane) + ROWS.task[0];
      const y1 = model.geometry.top(bundle.toLane) + (bundle.toLane > bundle.fromLane ? ROWS.cpu[0] : ROWS.task[1]);
      let x0 = (bundle.sendMinX + bundle.sendMaxX) / 2;
      let x1 = (bundle.receiveMinX + bundle.receiveMaxX) / 2;
      let labelX = (x0 + x1) / 2 + 3;
      if (isArrow(bundle)) {
        lines.moveTo(x0, y0);
        lines.lineTo(x1, y1);
      } else {
        // A shaded fan from the sends to the span of the receipts, and an arrow along its
        // first edge: from the first send to the first receipt.
        fans.moveTo(bundle.sendMinX, y0);
        fans.lineTo(bundle.sendMaxX, y0);
        fans.lineTo(bundle.receiveMaxX, y1);
        fans.lineTo(bundle.receiveMinX, y1);
        fans.closePath();
        labelX = (x0 + x1) / 2 - 8;
        x0 = bundle.sendMinX;
        x1 = bundle.receiveMinX;
        lines.moveTo(x0, y0);
        lines.lineTo(x1, y1);
      }
      const angle = Math.atan2(y1 - y0, x1 - x0);
      heads.moveTo(x1, y1);
      heads.lineTo(x1 - 7 * Math.cos(angle - 0.4), y1 - 7 * Math.sin(angle - 0.4));
      heads.lineTo(x1 - 7 * Math.cos(angle + 0.4), y1 - 7 * Math.sin(angle + 0.4));
      heads.closePath();
      if (bundle.count > 1) {
        const text = `×${bundle.count}`;
        const y = (y0 + y1) / 2;
        if (claimLabelCells(taken, labelX, y, context.measureText(text).width)) labels.push({ text, x: labelX, y });
      }
    }
    this.arrowStats = { messages, marks: bundles.length, single };
    if (bundles.length > 0) {
      context.fillStyle = palette.message;
      context.strokeStyle = palette.message;
      context.lineWidth = 1;
      context.globalAlpha = 0.2;
      context.fill(fans);
      context.globalAlpha = 1;
      context.stroke(lines);
      context.fill(heads);
      for (const label of labels) {
        const width = context.measureText(label.text).width;
        context.fillStyle = palette.background;
        context.fillRect(label.x - 1, label.y - 6, width + 2, 12);
        context.fillStyle = palette.foreground;
        context.fillText(label.text, label.x, label.y);
      }
    }
    context.font = '11px var(--vscode-font-family, sans-serif)';
  }

  private drawHighlight(context: CanvasRenderingContext2D, model: TimelineModel, highlight: Highlight, viewport: Viewport, palette: Palette): void {
    const lane = model.lanes[highlight.lane];
    if (!lane) return;
    const index = highlight.row === 'lock' ? lane.locks : lane.kind === 'process' ? lane.tasks : null;
    const row = rowOf(lane.kind, highlight.row);
    if (!index || !row || highlight.position < 0) return;
    const [rowTop, rowBottom] = row;
    const x0 = viewport.toX(index.starts[highlight.position]);
    const x1 = viewport.toX(index.ends[highlight.position]);
    context.strokeStyle = palette.focus;
    context.lineWidth = 2;
    context.strokeRect(x0 - 2, model.geometry.top(highlight.lane) + rowTop - 2, Math.max(1, x1 - x0) + 4, rowBottom - rowTop + 4);
    context.lineWidth = 1;
  }

  private ensureColumns(width: number): void {
    if (this.waitColumns.length === Math.ceil(width)) return;
    this.waitColumns = new Uint8Array(Math.ceil(width));
    this.holdColumns = new Uint8Array(Math.ceil(width));
    this.signalColumns = new Uint8Array(Math.ceil(width));
    this.taskColumns = new Uint8Array(Math.ceil(width));
  }

  private ensurePatterns(context: CanvasRenderingContext2D, palette: Palette): void {
    if (!this.waitPattern || this.patternColour !== palette.wait) {
      this.waitPattern = hatchPattern(context, palette.wait, false);
      this.patternColour = palette.wait;
    }
    if (!this.gilPattern || this.gilPatternColour !== palette.gil) {
      this.gilPattern = hatchPattern(context, palette.gil, true);
      this.gilPatternColour = palette.gil;
    }
  }
}

/**
 * Diagonal stripes (crossed, for the GIL wait) over a pale fill of the colour: waits read as
 * waits in any theme and without colour, and the two kinds of wait apart.
 */
function hatchPattern(context: CanvasRenderingContext2D, colour: string, crossed: boolean): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = 6;
  tile.height = 6;
  const tileContext = tile.getContext('2d');
  if (!tileContext) return null;
  tileContext.globalAlpha = 0.35;
  tileContext.fillStyle = colour;
  tileContext.fillRect(0, 0, 6, 6);
  tileContext.globalAlpha = 1;
  tileContext.strokeStyle = colour;
  tileContext.lineWidth = crossed ? 1.5 : 2;
  tileContext.beginPath();
  tileContext.moveTo(-1, 7);
  tileContext.lineTo(7, -1);
  tileContext.moveTo(5, 7);
  tileContext.lineTo(7, 5);
  tileContext.moveTo(-1, 1);
  tileContext.lineTo(1, -1);
  if (crossed) {
    tileContext.moveTo(-1, -1);
    tileContext.lineTo(7, 7);
    tileContext.moveTo(5, -1);
    tileContext.lineTo(7, 1);
    tileContext.moveTo(-1, 5);
    tileContext.lineTo(1, 7);
  }
  tileContext.stroke();
  return context.createPattern(tile, 'repeat');
}

/**
 * The colour of a thread's turns on the stove row, and of the swatch on its lane's label: none
 * of the thread lanes' state colours (green, purple, red), and the two nearest hues (orange
 * and yellow) apart; each turn wide enough is also named.
 */
export function stoveColour(palette: Palette, threadIndex: number): string {
  const colours = [palette.hold, palette.signal, palette.foreground, palette.message];
  return colours[threadIndex % colours.length];
}

/**
 * A message count is written only where it covers no other: the cells of a coarse grid
 * under its box must all be free; they are then taken.
 */
function claimLabelCells(taken: Set<number>, x: number, y: number, width: number): boolean {
  const row = Math.floor(y / LABEL_CELL_HEIGHT);
  const cells: number[] = [];
  for (let r = row - 1; r <= row + 1; r++) {
    for (let column = Math.floor((x - 2) / LABEL_CELL_WIDTH); column <= Math.floor((x + width + 2) / LABEL_CELL_WIDTH); column++) cells.push(r * 1_000_000 + column);
  }
  if (cells.some((cell) => taken.has(cell))) return false;
  for (const cell of cells) taken.add(cell);
  return true;
}

/** The pixel column a span narrower than a pixel is drawn in (where it starts); null for a wider span. */
export function subPixelColumn(x0: number, x1: number): number | null {
  return x1 - x0 < 1 ? Math.max(0, Math.floor(x0)) : null;
}

/** A span at least a pixel wide becomes a rectangle; a narrower one marks its pixel column. */
function addSpan(path: Path2D, columns: Uint8Array, x0: number, x1: number, y: number, height: number): void {
  if (x1 < LABEL_WIDTH || x0 >= columns.length) return;
  const column = subPixelColumn(x0, x1);
  if (column === null) {
    const left = Math.max(x0, LABEL_WIDTH - 1);
    path.rect(left, y, Math.min(x1, columns.length) - left, height);
  } else {
    columns[column] = 1;
  }
}

/** One rectangle per run of marked pixel columns. */
function addColumnRuns(path: Path2D, columns: Uint8Array, width: number, y: number, height: number): void {
  let runStart = -1;
  for (let x = 0; x <= width; x++) {
    const marked = x < columns.length && columns[x] === 1;
    if (marked && runStart < 0) runStart = x;
    else if (!marked && runStart >= 0) {
      path.rect(runStart, y, x - runStart, height);
      runStart = -1;
    }
  }
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1e-6)));
  for (const multiple of [1, 2, 5, 10]) if (multiple * power >= rough) return multiple * power;
  return 10 * power;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
