// What is under the pointer (or selected by keyboard) on the timeline, and how to say it.

import { signalWaitText, UNKNOWN_LOCK } from '../../shared/learnerNames';
import type { LockEvent, TaskRecord, ThreadSample, ThreadState } from '../../shared/runRecord';
import { baseName, formatMs, formatPercent } from '../format';
import { rowOf, type Viewport } from './layout';
import { firstReaching, holdOf, waitOf, type IntervalIndex, type Lane, type StoveLane, type ThreadLane, type TimelineModel } from './model';
import { subPixelColumn, type Highlight } from './renderer';

/** Hovering this close to an event (in pixels) counts as on it: tiny events stay reachable. */
const TOLERANCE_PX = 3;
/** A hover never scans more than this many candidates (dense, zoomed-out views). */
const MAX_SCAN = 200_000;

export type TimelineItem =
  | { kind: 'lock'; event: LockEvent; at: Highlight }
  | { kind: 'task'; task: TaskRecord; at: Highlight };

export function itemAt(model: TimelineModel, viewport: Viewport, x: number, y: number): TimelineItem | null {
  const place = model.geometry.rowAt(y);
  if (!place || (place.row !== 'lock' && place.row !== 'task')) return null;
  const index = eventsOf(model.lanes[place.lane], place.row);
  if (!index) return null;
  const tolerance = (TOLERANCE_PX / viewport.plotWidth) * viewport.spanMs;
  const position = nearest(index, viewport.toTime(x), tolerance);
  return position === null ? null : itemOf(model, { lane: place.lane, row: place.row, position });
}

/** A lane's lock events or pool tasks (only a process's lane has tasks). */
export function eventsOf(lane: Lane | undefined, row: 'lock' | 'task'): IntervalIndex | null {
  if (!lane) return null;
  if (row === 'lock') return lane.locks;
  return lane.kind === 'process' ? lane.tasks : null;
}

export function itemOf(model: TimelineModel, at: Highlight): TimelineItem | null {
  const source = eventsOf(model.lanes[at.lane], at.row)?.source[at.position];
  if (source === undefined) return null;
  return at.row === 'lock' ? { kind: 'lock', event: model.record.lockEvents[source], at } : { kind: 'task', task: model.record.tasks[source], at };
}

/**
 * Where an item is drawn (CSS pixels), in its row: the middle of its span, or for a span
 * narrower than a pixel the middle of the pixel column the renderer draws it in, which
 * its own middle may have crossed.
 */
export function itemPoint(item: TimelineItem, model: TimelineModel, viewport: Viewport): { x: number; y: number } {
  const lane = model.lanes[item.at.lane];
  const index = eventsOf(lane, item.at.row) as IntervalIndex;
  const [top, bottom] = rowOf(lane.kind, item.at.row) ?? [0, 0];
  const x0 = viewport.toX(index.starts[item.at.position]);
  const x1 = viewport.toX(index.ends[item.at.position]);
  const column = subPixelColumn(x0, x1);
  const x = column === null ? (x0 + x1) / 2 : column + 0.5;
  return { x, y: model.geometry.top(item.at.lane) + (top + bottom) / 2 };
}

export function describeItem(item: TimelineItem, model: TimelineModel): string[] {
  if (item.kind === 'lock') {
    const { event } = item;
    const lock = model.locksById.get(event.lock);
    const name = model.lockLabels.get(event.lock) ?? UNKNOWN_LOCK;
    const signal = model.signals.get(event.lock);
    const lane = model.lanes[item.at.lane];
    const thread = lane.kind === 'thread' ? `, thread ${lane.thread.name} (tid ${lane.thread.tid})` : event.tid !== undefined ? `, thread ${event.tid}` : '';
    const lines = [`PID ${event.pid}${thread}`];
    if (signal !== undefined) {
      // A wait for another process's signal: nothing is held, and no lock is contended.
      const without = { event: 'timed out before the event was set', barrier: 'the barrier broke or timed out', notify: 'timed out without a notify' }[signal];
      lines.push(
        `${lock ? `${lock.kind}` : 'Signal'}: ${name}${lock?.internal ? ', inside the standard library' : ''}`,
        `${capitalised(signalWaitText(signal))} ${formatMs(waitOf(event, model.durationMs))}` + (event.acquiredMs === null ? `, ${event.releasedMs === null ? 'still waiting when the run ended' : without}` : ''),
      );
    } else {
      lines.push(
        `Lock: ${name}${lock ? ` (${lock.api === lock.kind ? lock.kind : `${lock.api}, ${lock.kind}`})` : ''}${lock?.internal ? ', inside the standard library' : ''}`,
        `Waited ${formatMs(waitOf(event, model.durationMs))}` + (event.acquiredMs === null ? ', never acquired' : `, held ${formatMs(holdOf(event, model.durationMs))}`),
      );
    }
    if (event.releasedBy !== undefined) lines.push(`Released by PID ${event.releasedBy}`);
    lines.push(siteText(event.site));
    return lines;
  }
  const { task } = item;
  return [
    `PID ${task.pid}: pool task ${task.fn}${task.items > 1 ? ` (${task.items} items)` : ''}`,
    `Ran ${formatMs(task.endMs - task.startMs)}${task.submitMs !== undefined ? `, queued ${formatMs(task.startMs - task.submitMs)}` : ''}${taskOutcome(task)}`,
    siteText(task.site),
  ];
}

/** What went wrong, if anything: an exception it raised, or the worker that ended while running it. */
function taskOutcome(task: TaskRecord): string {
  if (task.ok) return '';
  if (task.workerExitCode === undefined) return ', raised an exception';
  const code = task.workerExitCode === null ? 'exit code unknown' : `exit code ${task.workerExitCode}`;
  return `, never finished: its worker ended (${code})`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function siteText(site: { file: string; line: number; function?: string } | null): string {
  if (!site) return 'Source: not known';
  return `Source: ${baseName(site.file)}:${site.line}${site.function ? ` in ${site.function}` : ''}`;
}

export function cpuText(model: TimelineModel, lane: number, t: number): string | null {
  const at = model.lanes[lane];
  const process = at?.kind === 'process' ? at.process : null;
  const sample = process?.samples.find((candidate) => candidate.t >= t);
  if (!process || !sample) return null;
  const waited = sample.runQueueMs !== undefined && sample.runQueueMs >= 1 ? `; ready but waiting for a free core ${formatMs(sample.runQueueMs)}` : '';
  return `PID ${process.pid} ${process.name}: CPU ${formatPercent(sample.cpu)} around ${formatMs(t)}${waited}`;
}

const STATE_WORDS: Record<ThreadState, string> = {
  running: 'running on a core',
  'waiting-for-gil': 'waiting for the GIL (ready to run Python; another thread held it)',
  'waiting-for-core': 'waiting for a free core (ready to run)',
  waiting: 'waiting (for a lock, I/O or a sleep)',
  unknown: 'state not known',
};

/** What a thread was doing at run time `t`: its name, tid, state and CPU over the sample that covers `t`. */
export function threadText(lane: ThreadLane, t: number): string[] {
  const { thread } = lane;
  const lines = [`Thread ${thread.name} (tid ${thread.tid}) of PID ${lane.pid}${thread.python ? '' : ', not started by Python'}`];
  const at = firstSampleFrom(thread.samples, t);
  const sample = thread.samples[at];
  const fromMs = at > 0 ? thread.samples[at - 1].t : thread.startMs;
  if (sample && fromMs <= t) lines.push(`${capitalised(STATE_WORDS[sample.state])}, CPU ${formatPercent(sample.cpu)} from ${formatMs(fromMs)} to ${formatMs(sample.t)}`);
  else if (t < thread.startMs) lines.push(`Not started yet (it began at ${formatMs(thread.startMs)})`);
  else if (thread.endMs !== null && t > thread.endMs) lines.push(`Ended at ${formatMs(thread.endMs)}`);
  else lines.push('Not sampled here');
  return lines;
}

/** The first sample read at `t` or later: the one whose interval covers `t` (samples are in time order). */
function firstSampleFrom(samples: readonly ThreadSample[], t: number): number {
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (samples[middle].t < t) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Who held the stove at run time `t`, and the process's stove in plain words. */
export function stoveText(lane: StoveLane, t: number, sentence: string): string[] {
  const turn = lane.turns.find((candidate) => candidate.fromMs <= t && candidate.toMs >= t);
  const threads = lane.process.threads ?? [];
  let now: string;
  if (!turn) now = `Around ${formatMs(t)} no thread held the stove (the GIL) most of the time`;
  else now = `${threads[turn.holder]?.name ?? 'A thread'} held the stove (the GIL) from ${formatMs(turn.fromMs)} to ${formatMs(turn.toMs)}, and ran ${formatMs(turn.ranMs)} of it`;
  return sentence ? [now, sentence] : [now];
}

/** The interval nearest `t` within `tolerance`; among those containing `t`, the shortest. */
function nearest(index: IntervalIndex, t: number, tolerance: number): number | null {
  let best: number | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  let bestLength = Number.POSITIVE_INFINITY;
  const last = t + tolerance;
  let scanned = 0;
  for (let k = firstReaching(index, t - tolerance); k < index.starts.length && index.starts[k] <= last && scanned < MAX_SCAN; k++, scanned++) {
    const distance = t < index.starts[k] ? index.starts[k] - t : t > index.ends[k] ? t - index.ends[k] : 0;
    const length = index.ends[k] - index.starts[k];
    if (distance > tolerance) continue;
    if (distance < bestDistance || (distance === bestDistance && length < bestLength)) {
      best = k;
      bestDistance = distance;
      bestLength = length;
    }
  }
  return best;
}
