// Spans in time order drawn at the resolution of the screen: each pixel column gets the kind
// of span that covers most of it, so a thread's states or a stove's turns of a few
// milliseconds each stay one rectangle per run of columns at any zoom, and each column shows
// what took most of its time rather than whatever was drawn last.

import { LABEL_WIDTH, type Viewport } from './layout';

/** A column no span covers for at least half its width. */
export const NO_KIND = -2147483648;

export interface ColumnRun {
  kind: number;
  x0: number;
  x1: number;
}

/**
 * The kind of each pixel column of the plot, from `count` spans that are in time order and do
 * not overlap, read through accessors: only those in view are visited, and each column once
 * per span that reaches it.
 */
export function kindPerColumn(count: number, from: (i: number) => number, to: (i: number) => number, kind: (i: number) => number, viewport: Viewport, width: number): Int32Array {
  const kinds = new Int32Array(Math.ceil(width)).fill(NO_KIND);
  const weights = new Map<number, number>();
  let column = -1;
  const flush = (): void => {
    if (column >= 0 && column < kinds.length) {
      let best = NO_KIND;
      let most = 0;
      let covered = 0;
      for (const [candidate, weight] of weights) {
        covered += weight;
        if (weight > most) {
          best = candidate;
          most = weight;
        }
      }
      if (covered >= 0.5) kinds[column] = best;
    }
    weights.clear();
  };
  for (let i = firstEndingAfter(count, to, viewport.startMs); i < count && from(i) <= viewport.endMs; i++) {
    const x0 = Math.max(LABEL_WIDTH, viewport.toX(from(i)));
    const x1 = Math.min(width, viewport.toX(to(i)));
    const spanKind = kind(i);
    for (let c = Math.floor(x0); c < x1; c++) {
      if (c !== column) {
        flush();
        column = c;
      }
      weights.set(spanKind, (weights.get(spanKind) ?? 0) + Math.min(x1, c + 1) - Math.max(x0, c));
    }
  }
  flush();
  return kinds;
}

/** The first span that ends at `t` or later (spans in time order end in order too). */
function firstEndingAfter(count: number, to: (i: number) => number, t: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (to(middle) < t) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Neighbouring columns of one kind, as runs; columns of NO_KIND are left out. */
export function columnRuns(kinds: Int32Array): ColumnRun[] {
  const runs: ColumnRun[] = [];
  let start = 0;
  for (let x = 1; x <= kinds.length; x++) {
    if (x < kinds.length && kinds[x] === kinds[start]) continue;
    if (kinds[start] !== NO_KIND) runs.push({ kind: kinds[start], x0: start, x1: x });
    start = x;
  }
  return runs;
}
