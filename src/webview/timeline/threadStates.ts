// A thread's lane as drawn: its samples' states over the intervals they cover, at the
// resolution of the screen (pixelColumns.ts). `unknown` is not drawn: the lane shows only the
// thread's life there.

import type { ThreadEntry, ThreadState } from '../../shared/runRecord';
import { sampleSpans } from '../../shared/threadFigures';
import type { Viewport } from './layout';
import { columnRuns, kindPerColumn } from './pixelColumns';

export type DrawnThreadState = Exclude<ThreadState, 'unknown'>;

const DRAWN: readonly DrawnThreadState[] = ['running', 'waiting-for-gil', 'waiting-for-core', 'waiting'];

export interface ThreadStateRun {
  state: DrawnThreadState;
  x0: number;
  x1: number;
}

export function threadStateRuns(thread: ThreadEntry, viewport: Viewport, width: number): ThreadStateRun[] {
  const spans = sampleSpans(thread).filter((span) => span.sample.state !== 'unknown');
  const kinds = kindPerColumn(spans, (span) => span.fromMs, (span) => span.toMs, (span) => DRAWN.indexOf(span.sample.state as DrawnThreadState), viewport, width);
  return columnRuns(kinds).map((run) => ({ state: DRAWN[run.kind], x0: run.x0, x1: run.x1 }));
}
