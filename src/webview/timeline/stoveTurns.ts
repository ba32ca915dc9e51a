// Who held the stove (the process's GIL) over time, from its threads' samples: only one thread
// runs Python at a time, so where one thread ran most of an interval, that was its turn. The
// samples of a process's threads are read at the same ticks, so their intervals line up; where
// they do not, the intervals are cut at every thread's sample times and each piece is judged.
// Two threads can each run part of one interval, one after the other: the turn is given to
// the one that ran longer, and the hover says how long it ran.

import { sampleSpans } from '../../shared/threadShares';
import type { ThreadEntry } from '../../shared/runRecord';

/** A thread ran at least this share of an interval: it held the stove then. */
const HELD = 0.5;

export interface StoveTurn {
  fromMs: number;
  toMs: number;
  /** The index of the thread that held it, in its process's threads. */
  holder: number;
  /** How long the holder ran during the turn. */
  ranMs: number;
}

interface RateSpan {
  fromMs: number;
  toMs: number;
  /** Share of the span the thread ran (0..1). */
  rate: number;
}

/** The turns, in time order; stretches where no thread ran most of the time are left out. */
export function stoveTurns(threads: readonly ThreadEntry[]): StoveTurn[] {
  const spans: RateSpan[][] = threads.map((thread) =>
    sampleSpans(thread).map(({ fromMs, toMs, sample }) => ({ fromMs, toMs, rate: Math.min(1, Math.max(0, sample.cpu / 100)) })),
  );
  const cuts = [...new Set(spans.flatMap((list) => list.flatMap((span) => [span.fromMs, span.toMs])))].sort((a, b) => a - b);
  const next = spans.map(() => 0);
  const turns: StoveTurn[] = [];
  for (let c = 1; c < cuts.length; c++) {
    const from = cuts[c - 1];
    const to = cuts[c];
    let holder = -1;
    let best = 0;
    spans.forEach((list, i) => {
      while (next[i] < list.length && list[next[i]].toMs <= from) next[i]++;
      const span = list[next[i]];
      const rate = span && span.fromMs <= from ? span.rate : 0;
      if (rate > best) {
        best = rate;
        holder = i;
      }
    });
    if (best < HELD) continue;
    const ranMs = best * (to - from);
    const last = turns[turns.length - 1];
    if (last && last.holder === holder && last.toMs === from) {
      last.toMs = to;
      last.ranMs += ranMs;
    } else {
      turns.push({ fromMs: from, toMs: to, holder, ranMs });
    }
  }
  return turns;
}
