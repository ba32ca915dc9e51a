// The panel: receives the host's messages, keeps the record (finished, or growing in live
// mode) or the scaling result and the view state, and renders every view from them, at most
// once per frame.

import { applyDeltas, emptyLiveRecord, type LiveRunState } from '../shared/liveDeltas';
import type { SourceText, ToWebview, ViewState } from '../shared/protocol';
import type { RunRecord, SourceSite } from '../shared/runRecord';
import type { ScalingResult } from '../shared/scaling';
import type { HostAdapter } from './adapter';
import { CodeView } from './codeView';
import { CoreView } from './coreView';
import { element } from './format';
import { onThemeChange, readPalette } from './palette';
import { ProcessView } from './processView';
import { ScalingView } from './scaling/scalingView';
import { ViewStore } from './state';
import { SummaryView } from './summaryView';
import type { ArrowStats } from './timeline/arrowBundles';
import { TimelineView, type DrawnLane } from './timeline/timelineView';

export class App {
  private readonly store: ViewStore;
  private readonly summary: SummaryView;
  private readonly processes = new ProcessView();
  private readonly cores: CoreView;
  private readonly timeline: TimelineView;
  private readonly code: CodeView;
  private readonly scalingView = new ScalingView();
  /** The summary and the columns: hidden while a scaling result is shown. */
  private readonly runViews = element('div', 'run-views');
  private record: RunRecord | null = null;
  /** A scaling result replaces the run views until the next run or record arrives. */
  private scaling: ScalingResult | null = null;
  private source: SourceText | null = null;
  private runState: LiveRunState = 'finished';
  private frame = 0;
  /** Renders so far; the tests and the benchmark watch it to know a change reached the screen. */
  renderCount = 0;

  constructor(
    root: HTMLElement,
    private readonly adapter: HostAdapter,
  ) {
    this.store = new ViewStore(adapter);
    this.summary = new SummaryView({ showInternal: (show) => this.store.update({ showInternalLocks: show }) });
    const palette = readPalette();
    this.cores = new CoreView(palette);
    this.timeline = new TimelineView(palette, this.store.state, {
      reveal: (site) => this.reveal(site),
      saveView: (change) => this.store.update(change),
    });
    this.code = new CodeView({
      toggleLineFilter: (file, line) => {
        const current = this.store.state.lineFilter;
        this.store.update({ lineFilter: current?.file === file && current.line === line ? null : { file, line } });
      },
    });
    this.store.subscribe((state, previous) => {
      if (state.showInternalLocks !== previous.showInternalLocks || state.lineFilter !== previous.lineFilter || state.foldedThreadPids !== previous.foldedThreadPids) this.requestRender();
    });
    onThemeChange(() => {
      const next = readPalette();
      this.cores.setPalette(next);
      this.timeline.setPalette(next);
    });
    const columns = element('div', 'columns');
    const main = element('div', 'main-column');
    main.append(this.timeline.root, this.processes.root, this.cores.root);
    const side = element('div', 'side-column');
    side.append(this.code.root);
    columns.append(main, side);
    this.runViews.append(this.summary.root, columns);
    this.scalingView.root.hidden = true;
    root.replaceChildren(this.scalingView.root, this.runViews);
    root.setAttribute('aria-busy', 'true');
    adapter.onMessage((message) => this.handle(message));
    adapter.post({ type: 'ready' });
  }

  /** The view state the panel keeps across reloads (getState/setState), for the tests. */
  get viewState(): ViewState {
    return this.store.state;
  }

  lockEventPoint(index: number): { x: number; y: number } | null {
    return this.timeline.lockEventPoint(index);
  }

  cpuPoint(pid: number, t: number): { x: number; y: number } | null {
    return this.timeline.cpuPoint(pid, t);
  }

  /** The timeline's lanes, top to bottom: processes, and the stove and thread lanes under them. */
  timelineLanes(): DrawnLane[] {
    return this.timeline.drawnLanes;
  }

  /** Where a row of a timeline lane is drawn at run time `t` (CSS pixels within the canvas). */
  timelineRowPoint(lane: number, row: 'state' | 'turns' | 'lock', t: number): { x: number; y: number } | null {
    return this.timeline.rowPoint(lane, row, t);
  }

  /** The messages the timeline's last draw showed and the marks (arrows, fans) standing for them. */
  timelineArrows(): ArrowStats {
    return this.timeline.arrowStats;
  }

  private handle(message: ToWebview): void {
    switch (message.type) {
      case 'record':
        this.record = message.record;
        this.source = message.source;
        this.runState = 'finished';
        this.scaling = null;
        break;
      case 'live-start':
        this.record = emptyLiveRecord(message.run);
        this.scaling = null;
        this.source = message.source;
        this.runState = 'starting';
        // A new run starts from the whole-run view; filters and toggles are kept.
        this.store.update({ viewStartMs: null, viewEndMs: null });
        break;
      case 'deltas': {
        if (!this.record) return;
        this.runState = applyDeltas(this.record, message.deltas) ?? this.runState;
        break;
      }
      case 'revealLine':
        // From the editor's hover: show only that line's events, and the line itself.
        this.store.update({ lineFilter: { file: message.file, line: message.line } });
        this.code.reveal({ file: message.file, line: message.line });
        break;
      case 'scaling':
        this.scaling = message.result;
        break;
    }
    this.requestRender();
  }

  private requestRender(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const record = this.record;
    const scaling = this.scaling;
    this.scalingView.root.hidden = scaling === null;
    this.runViews.hidden = scaling !== null;
    if (scaling) {
      this.scalingView.render(scaling);
    } else {
      if (!record) return;
      const state: ViewState = this.store.state;
      const live = this.runState !== 'finished';
      this.summary.render(record, this.runState, state.showInternalLocks);
      this.processes.render(record, live);
      this.cores.render(record, live);
      this.timeline.render(record, state);
      this.code.render(record, this.source, state.showInternalLocks, state.lineFilter);
    }
    this.renderCount++;
    document.getElementById('root')?.setAttribute('aria-busy', 'false');
  }

  /** The code view always shows the line; in VS Code the host also opens it in an editor. */
  private reveal(site: SourceSite): void {
    this.code.reveal(site);
    this.adapter.post({ type: 'revealSource', file: site.file, line: site.line });
  }
}
