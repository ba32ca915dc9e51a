// A thread's lane as drawn: its samples' states over the intervals they cover, kept in typed
// arrays once per record change (a zoom or pan redraws from them without making an object per
// sample), and drawn at the resolution of the screen (pixelColumns.ts). `unknown` is not
// drawn: the lane shows only the thread's life there.

import type { ThreadEntry, ThreadState } from '../../shared/runRecord';
import { sampleSpans } from '../../shared/threadShares';
import type { Viewport } from './layout';
import { columnRuns, kindPerColumn } from './pixelColumns';

export type DrawnThreadState = Exclude<ThreadState, 'unknown'>;

const DRAWN: readonly DrawnThreadState[] = ['running', 'waiting-for-gil', 'waiting-for-core', 'waiting'];

/** A thread's known states, interval by interval, in time order. */
export interface ThreadStateSpans {
  from: Float64Array;
  to: Float64Array;
  /** Index into the drawn states. */
  state: Uint8Array;
}

export interface ThreadStateRun {
  state: DrawnThreadState;
  x0: number;
  x1: number;
}

export function threadStateSpans(thread: ThreadEntry): ThreadStateSpans {
  const spans = sampleSpans(thread).filter((span) => span.sample.state !== 'unknown');
  return {
    from: Float64Array.from(spans, (span) => span.fromMs),
    to: Float64Array.from(spans, (span) => span.toMs),
    state: Uint8Array.from(spans, (span) => DRAWN.indexOf(span.sample.state as DrawnThreadState)),
  };
}

export function threadStateRuns(spans: ThreadStateSpans, viewport: Viewport, width: number): ThreadStateRun[] {
  const kinds = kindPerColumn(spans.from.length, (i) => spans.from[i], (i) => spans.to[i], (i) => spans.state[i], viewport, width);
  return columnRuns(kinds).map((run) => ({ state: DRAWN[run.kind], x0: run.x0, x1: run.x1 }));
}
