// The timeline section: toolbar, legend, the canvas and its tooltip. Owns the viewport;
// redraws at most once per animation frame, whatever the rate of input or live data.

import type { ViewState } from '../../shared/protocol';
import type { RunRecord, SourceSite } from '../../shared/runRecord';
import { processStoveSentence } from '../../shared/threadShares';
import { button, checkbox } from '../components';
import { baseName, element } from '../format';
import type { Palette } from '../palette';
import type { ArrowStats } from './arrowBundles';
import { describeItem, cpuText, eventsOf, itemAt, itemOf, itemPoint, stoveText, threadText, type TimelineItem } from './hitTest';
import { KEY_HELP, bindInteraction } from './interaction';
import { LABEL_WIDTH, ROWS, rowOf, Viewport } from './layout';
import { buildTimelineModel, type Lane, type ProcessLane, type TimelineModel } from './model';
import { TimelineRenderer, type Highlight } from './renderer';
import { threadLegend } from './threadLegend';

export interface TimelineHost {
  /** The learner chose an event: show its source line. */
  reveal(site: SourceSite): void;
  /** Zoom, pan or a toggle changed: remember it. */
  saveView(change: Partial<ViewState>): void;
}

export class TimelineView {
  readonly root = element('section', 'view timeline');
  private readonly canvas = element('canvas', 'timeline-canvas');
  private readonly tooltip = element('div', 'tooltip');
  private readonly status = element('p', 'visually-hidden');
  private readonly filterNote = element('p', 'filter-note');
  private readonly threadLegend = element('p', 'thread-legend');
  private readonly renderer = new TimelineRenderer();
  private readonly viewport = new Viewport(0, 1, 1);
  private model: TimelineModel | null = null;
  private followWholeRun = true;
  private selection: Highlight | null = null;
  private frame = 0;
  private width = 0;
  private readonly internalToggle: HTMLElement & { checked: boolean };
  /** The processes whose thread lanes are folded away (the view state's). */
  private folded: readonly number[] = [];

  constructor(
    private palette: Palette,
    view: ViewState,
    private readonly host: TimelineHost,
  ) {
    this.root.setAttribute('aria-labelledby', 'timeline-heading');
    const heading = element('h2', undefined, 'Timeline');
    heading.id = 'timeline-heading';
    const toolbar = element('div', 'toolbar');
    // The same toggle as the summary's "Show them" under its tables (one view state).
    this.internalToggle = checkbox('Show the standard library\'s own locks and queues', view.showInternalLocks, (checked) => host.saveView({ showInternalLocks: checked }));
    toolbar.append(
      button('+', 'Zoom in', () => this.zoom(1.5, null)),
      button('−', 'Zoom out', () => this.zoom(1 / 1.5, null)),
      button('Whole run', 'Show the whole run', () => this.showAll()),
      this.internalToggle,
    );
    const legend = element(
      'p',
      'legend',
      'Each process has a lane: its CPU on top (green area; hatched above it where it was ready to run but waited for a free core), its lock use in the middle — hatched: waiting for a lock, solid: holding it, a thin orange bar: waiting for a signal (an Event, a Barrier, a Condition\'s notify), which is not lock contention — and its pool tasks below (outlined boxes). Arrows are messages, from sender to receiver; where several between the same two processes fall within a few pixels, one arrow marked ×N stands for them, with a shaded fan when their receipts spread out. Zoom in to see each one.',
    );
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-roledescription', 'timeline');
    this.canvas.setAttribute('aria-label', `Timeline of processes, locks, tasks and messages. ${KEY_HELP}`);
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.status.setAttribute('aria-live', 'polite');
    const box = element('div', 'canvas-box timeline-box');
    box.append(this.canvas, this.tooltip);
    this.threadLegend.hidden = true;
    this.root.append(heading, toolbar, legend, this.threadLegend, this.filterNote, element('p', 'key-help', KEY_HELP), box, this.status);
    bindInteraction(this.canvas, {
      zoom: (factor, anchorX) => this.zoom(factor, anchorX),
      pan: (pixels) => this.changeView(() => this.viewport.pan(pixels)),
      showAll: () => this.showAll(),
      hover: (x, y) => this.hover(x, y),
      leave: () => (this.tooltip.hidden = true),
      activateAt: (x, y) => this.activateAt(x, y),
      moveLane: (step) => this.moveLane(step),
      moveEvent: (step) => this.moveEvent(step),
      activateSelection: () => this.activate(this.model && this.selection ? itemOf(this.model, this.selection) : null),
      toggleThreads: () => this.toggleThreads(this.selection?.lane ?? null),
    });
    new ResizeObserver(() => this.requestDraw()).observe(box);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.requestDraw();
  }

  /** A new record, new data in a live one, or new filters: rebuild the index. */
  render(record: RunRecord, view: ViewState): void {
    this.model = buildTimelineModel(record, { showInternalLocks: view.showInternalLocks, line: view.lineFilter, foldedThreadPids: view.foldedThreadPids });
    this.folded = view.foldedThreadPids;
    threadLegend(this.threadLegend, this.model);
    if (this.internalToggle.checked !== view.showInternalLocks) this.internalToggle.checked = view.showInternalLocks;
    this.viewport.setDuration(record.durationMs);
    this.followWholeRun = view.viewStartMs === null || view.viewEndMs === null;
    if (this.followWholeRun) this.viewport.showAll();
    else {
      this.viewport.startMs = view.viewStartMs ?? 0;
      this.viewport.endMs = view.viewEndMs ?? record.durationMs;
      this.viewport.setDuration(record.durationMs);
    }
    this.selection = null;
    this.filterNote.textContent = view.lineFilter ? `Showing only the events of ${baseName(view.lineFilter.file)} line ${view.lineFilter.line}.` : '';
    if (view.lineFilter) this.filterNote.append(' ', button('Show all lines', 'Show the events of every line', () => this.host.saveView({ lineFilter: null })));
    // The panel renders once per frame already: draw now rather than a frame later.
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.draw();
  }

  /** Where a lock event is drawn (on its process's lane or its thread's), in CSS pixels within the canvas (for the tests and the benchmark). */
  lockEventPoint(lockEventIndex: number): { x: number; y: number } | null {
    const model = this.model;
    if (!model) return null;
    const event = model.record.lockEvents[lockEventIndex];
    if (!event) return null;
    const lane = model.lanes.findIndex((candidate) => candidate.pid === event.pid && candidate.locks.source.includes(lockEventIndex));
    if (lane < 0) return null;
    const item = itemOf(model, { lane, row: 'lock', position: model.lanes[lane].locks.source.indexOf(lockEventIndex) });
    return item ? itemPoint(item, model, this.viewport) : null;
  }

  /** Where a process's CPU row is drawn at run time `t`, in CSS pixels within the canvas (for the tests). */
  cpuPoint(pid: number, t: number): { x: number; y: number } | null {
    const lane = this.model?.laneOfPid.get(pid);
    if (lane === undefined || !this.model) return null;
    return { x: this.viewport.toX(t), y: this.model.geometry.top(lane) + (ROWS.cpu[0] + ROWS.cpu[1]) / 2 };
  }

  /** The lanes drawn, top to bottom, with where each is (for the tests). */
  get drawnLanes(): DrawnLane[] {
    const model = this.model;
    if (!model) return [];
    return model.lanes.map((lane, index) => ({
      kind: lane.kind,
      pid: lane.pid,
      label: lane.label,
      tid: lane.kind === 'thread' ? lane.thread.tid : null,
      top: model.geometry.top(index),
      height: model.geometry.height(index),
      lockEvents: lane.locks.source.length,
    }));
  }

  /** Where a row of a lane is drawn at run time `t`: its middle, in CSS pixels within the canvas (for the tests). */
  rowPoint(lane: number, row: 'state' | 'turns' | 'lock', t: number): { x: number; y: number } | null {
    const model = this.model;
    const at = model?.lanes[lane];
    const bounds = at ? rowOf(at.kind, row) : null;
    if (!model || !bounds) return null;
    return { x: this.viewport.toX(t), y: model.geometry.top(lane) + (bounds[0] + bounds[1]) / 2 };
  }

  /** How many messages the last draw showed, and with how many marks (for the tests). */
  get arrowStats(): ArrowStats {
    return this.renderer.arrowStats;
  }

  get canvasElement(): HTMLCanvasElement {
    return this.canvas;
  }

  private zoom(factor: number, anchorX: number | null): void {
    this.changeView(() => this.viewport.zoom(factor, anchorX ?? LABEL_WIDTH + this.viewport.plotWidth / 2));
  }

  private showAll(): void {
    this.viewport.showAll();
    this.followWholeRun = true;
    this.host.saveView({ viewStartMs: null, viewEndMs: null });
    this.requestDraw();
  }

  private changeView(change: () => void): void {
    change();
    this.followWholeRun = false;
    this.tooltip.hidden = true;
    this.host.saveView({ viewStartMs: this.viewport.startMs, viewEndMs: this.viewport.endMs });
    this.requestDraw();
  }

  private requestDraw(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    const width = Math.max(LABEL_WIDTH + 100, this.canvas.parentElement?.clientWidth ?? 800);
    const height = model.geometry.totalHeight;
    const ratio = window.devicePixelRatio || 1;
    if (width !== this.width || this.canvas.height !== Math.round(height * ratio)) {
      this.width = width;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    this.viewport.plotWidth = width - LABEL_WIDTH;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.renderer.draw(context, model, this.viewport, this.palette, width, this.selection);
  }

  private hover(x: number, y: number): void {
    const model = this.model;
    if (!model) return;
    const item = itemAt(model, this.viewport, x, y);
    const laneIndex = model.geometry.laneAt(y);
    const lane = laneIndex === null ? undefined : model.lanes[laneIndex];
    const foldable = x < LABEL_WIDTH && lane?.kind === 'process' && lane.threadCount >= 2;
    const lines = item ? describeItem(item, model) : foldable ? [foldText(lane)] : x > LABEL_WIDTH && laneIndex !== null ? this.placeText(model, laneIndex, x, y) : [];
    const text = lines.filter((line): line is string => line !== null);
    this.canvas.style.cursor = item || foldable ? 'pointer' : '';
    this.showTooltip(text, x, y);
  }

  /** What the pointer is over where it is over no event: a process's CPU, a thread's state, the stove. */
  private placeText(model: TimelineModel, laneIndex: number, x: number, y: number): Array<string | null> {
    const lane = model.lanes[laneIndex];
    const t = this.viewport.toTime(x);
    switch (lane.kind) {
      case 'process':
        return model.geometry.rowAt(y)?.row === 'cpu' ? [cpuText(model, laneIndex, t)] : [];
      case 'thread':
        return threadText(lane, t);
      case 'stove':
        return stoveText(lane, t, processStoveSentence(lane.process, model.record.python.gilEnabled !== false));
    }
  }

  private showTooltip(lines: string[], x: number, y: number): void {
    if (lines.length === 0) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...lines.map((line) => element('div', undefined, line)));
    this.tooltip.style.left = `${Math.min(x + 14, this.width - 260)}px`;
    this.tooltip.style.top = `${y + 14}px`;
    this.tooltip.hidden = false;
  }

  /** A click: on a process's name, shows or folds its thread lanes; on an event, goes to its source line. */
  private activateAt(x: number, y: number): void {
    const model = this.model;
    if (!model) return;
    if (x < LABEL_WIDTH) this.toggleThreads(model.geometry.laneAt(y));
    else this.activate(itemAt(model, this.viewport, x, y));
  }

  /** Shows or folds the thread lanes of the process of a lane (a thread's lane folds its process's). */
  private toggleThreads(laneIndex: number | null): void {
    const model = this.model;
    const lane = model && laneIndex !== null ? model.lanes[laneIndex] : undefined;
    if (!lane) return;
    const processLane = model?.lanes[model.laneOfPid.get(lane.pid) ?? -1];
    if (processLane?.kind !== 'process' || processLane.threadCount < 2) return;
    const folded = this.folded.includes(lane.pid) ? this.folded.filter((pid) => pid !== lane.pid) : [...this.folded, lane.pid];
    this.selection = null;
    this.tooltip.hidden = true;
    this.status.textContent = `${folded.includes(lane.pid) ? 'Folded' : 'Showing'} the ${processLane.threadCount} threads of process ${processLane.label}.`;
    this.host.saveView({ foldedThreadPids: folded });
  }

  private activate(item: TimelineItem | null): void {
    if (!item) return;
    const site = item.kind === 'lock' ? item.event.site : item.task.site;
    this.select(item.at);
    if (site) this.host.reveal(site);
  }

  /** Moves to the next process or thread lane up or down (the stove row has no events to choose). */
  private moveLane(step: number): void {
    const model = this.model;
    if (!model || model.lanes.length === 0) return;
    let lane = this.selection?.lane ?? (step > 0 ? -1 : model.lanes.length);
    do lane += step;
    while (lane >= 0 && lane < model.lanes.length && model.lanes[lane].kind === 'stove');
    if (lane < 0 || lane >= model.lanes.length) return;
    const chosen = model.lanes[lane];
    const tasks = eventsOf(chosen, 'task')?.source.length ?? 0;
    const row = chosen.locks.source.length > 0 || tasks === 0 ? 'lock' : 'task';
    this.selection = { lane, row, position: -1 };
    this.status.textContent = `${laneName(chosen)}: ${chosen.locks.source.length} lock events${chosen.kind === 'process' ? `, ${tasks} tasks` : ''}. N for the next event${chosen.kind === 'process' && chosen.threadCount >= 2 ? `, T to ${chosen.folded ? 'show' : 'fold'} its threads` : ''}.`;
    this.requestDraw();
  }

  private moveEvent(step: number): void {
    const model = this.model;
    if (!model) return;
    if (!this.selection) this.moveLane(1);
    const selection = this.selection;
    if (!selection) return;
    const count = eventsOf(model.lanes[selection.lane], selection.row)?.source.length ?? 0;
    if (count === 0) return;
    this.select({ ...selection, position: Math.min(count - 1, Math.max(0, selection.position + step)) });
  }

  /** Selects an item, scrolls it into view, and says what it is (tooltip and screen reader). */
  private select(at: Highlight): void {
    const model = this.model;
    const item = model ? itemOf(model, at) : null;
    if (!model || !item) return;
    this.selection = at;
    let point = itemPoint(item, model, this.viewport);
    if (point.x < LABEL_WIDTH || point.x > LABEL_WIDTH + this.viewport.plotWidth) {
      this.viewport.pan(point.x - (LABEL_WIDTH + this.viewport.plotWidth / 2));
      this.followWholeRun = false;
      point = itemPoint(item, model, this.viewport);
    }
    const lines = describeItem(item, model);
    this.showTooltip(lines, point.x, point.y);
    this.status.textContent = lines.join('. ');
    this.requestDraw();
  }
}

/** A lane as the tests see it: what it shows and where. */
export interface DrawnLane {
  kind: Lane['kind'];
  pid: number;
  label: string;
  tid: number | null;
  top: number;
  height: number;
  lockEvents: number;
}

function laneName(lane: Lane): string {
  switch (lane.kind) {
    case 'process': return `Process ${lane.label}`;
    case 'thread': return `Thread ${lane.thread.name} (tid ${lane.thread.tid}) of process ${lane.pid}`;
    case 'stove': return `The stove of process ${lane.pid}`;
  }
}

function foldText(lane: ProcessLane): string {
  return `${lane.folded ? 'Show' : 'Fold'} the lanes of its ${lane.threadCount} threads (click, or T)`;
}
