// Messages between the extension host and the profiler webview: one discriminated union per
// direction, imported by both sides, so a message of the wrong shape fails to compile.

import type { LiveDelta, LiveRunStart } from './liveDeltas';
import type { RunRecord } from './runRecord';
import type { ScalingResult } from './scaling';

/** The program's source, shown in the code view with per-line annotations. */
export interface SourceText {
  file: string;
  text: string;
}

export type ToWebview =
  /** A finished run (or a saved record reopened): replaces whatever the panel shows. */
  | { type: 'record'; record: RunRecord; source: SourceText | null }
  /** A run began: the panel empties and renders the deltas that follow. */
  | { type: 'live-start'; run: LiveRunStart; source: SourceText | null }
  /** What happened since the previous batch; the host sends one batch about every 100 ms. */
  | { type: 'deltas'; deltas: LiveDelta[] }
  /** Show only this source line's events (from the editor hover's link). */
  | { type: 'revealLine'; file: string; line: number }
  /** A finished scaling lab ("Run in parallel"): shown instead of the run views until a run arrives. */
  | { type: 'scaling'; result: ScalingResult };

export type FromWebview =
  /** The panel's script ran and listens: the host may send what it has. */
  | { type: 'ready' }
  /** The learner clicked an event or a code line: open the file at that line in an editor. */
  | { type: 'revealSource'; file: string; line: number };

/**
 * Ids of the JSON data blocks a standalone report embeds: the writer
 * (src/extension/engine/export/htmlReport.ts) and the panel's report adapter share them.
 */
export const REPORT_BLOCK_IDS = {
  record: 'parallel-lab-record',
  source: 'parallel-lab-source',
  scaling: 'parallel-lab-scaling',
} as const;

/** What the panel remembers across reloads (VS Code getState/setState, sessionStorage in a report). */
export interface ViewState {
  /** Visible time range of the timeline, in run milliseconds; null: the whole run. */
  viewStartMs: number | null;
  viewEndMs: number | null;
  showInternalLocks: boolean;
  /** Only events of this source line are drawn, when set. */
  lineFilter: { file: string; line: number } | null;
  /**
   * Processes whose thread lanes the learner folded away, by PID. A process with two or more
   * threads shows them unless it is listed here; one with a single thread never has lanes.
   */
  foldedThreadPids: number[];
}

export const DEFAULT_VIEW_STATE: ViewState = { viewStartMs: null, viewEndMs: null, showInternalLocks: false, lineFilter: null, foldedThreadPids: [] };
