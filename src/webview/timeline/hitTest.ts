// What is under the pointer (or selected by keyboard) on the timeline, and how to say it.

import { signalWaitText, UNKNOWN_LOCK } from '../../shared/learnerNames';
import type { LockEvent, TaskRecord } from '../../shared/runRecord';
import { baseName, formatMs, formatPercent } from '../format';
import { ROWS, laneTop, rowAt, type Viewport } from './layout';
import { firstReaching, holdOf, waitOf, type IntervalIndex, type TimelineModel } from './model';
import { subPixelColumn, type Highlight } from './renderer';

/** Hovering this close to an event (in pixels) counts as on it: tiny events stay reachable. */
const TOLERANCE_PX = 3;
/** A hover never scans more than this many candidates (dense, zoomed-out views). */
const MAX_SCAN = 200_000;

export type TimelineItem =
  | { kind: 'lock'; event: LockEvent; at: Highlight }
  | { kind: 'task'; task: TaskRecord; at: Highlight };

export function itemAt(model: TimelineModel, viewport: Viewport, x: number, y: number): TimelineItem | null {
  const place = rowAt(y, model.lanes.length);
  if (!place || place.row === 'cpu') return null;
  const lane = model.lanes[place.lane];
  const index = place.row === 'lock' ? lane.locks : lane.tasks;
  const tolerance = (TOLERANCE_PX / viewport.plotWidth) * viewport.spanMs;
  const position = nearest(index, viewport.toTime(x), tolerance);
  return position === null ? null : itemOf(model, { lane: place.lane, row: place.row, position });
}

export function itemOf(model: TimelineModel, at: Highlight): TimelineItem | null {
  const lane = model.lanes[at.lane];
  if (!lane) return null;
  if (at.row === 'lock') {
    const source = lane.locks.source[at.position];
    return source === undefined ? null : { kind: 'lock', event: model.record.lockEvents[source], at };
  }
  const source = lane.tasks.source[at.position];
  return source === undefined ? null : { kind: 'task', task: model.record.tasks[source], at };
}

/**
 * Where an item is drawn (CSS pixels), in its row: the middle of its span, or for a span
 * narrower than a pixel the middle of the pixel column the renderer draws it in, which
 * its own middle may have crossed.
 */
export function itemPoint(item: TimelineItem, model: TimelineModel, viewport: Viewport): { x: number; y: number } {
  const lane = model.lanes[item.at.lane];
  const index = item.at.row === 'lock' ? lane.locks : lane.tasks;
  const [top, bottom] = ROWS[item.at.row];
  const x0 = viewport.toX(index.starts[item.at.position]);
  const x1 = viewport.toX(index.ends[item.at.position]);
  const column = subPixelColumn(x0, x1);
  const x = column === null ? (x0 + x1) / 2 : column + 0.5;
  return { x, y: laneTop(item.at.lane) + (top + bottom) / 2 };
}

export function describeItem(item: TimelineItem, model: TimelineModel): string[] {
  if (item.kind === 'lock') {
    const { event } = item;
    const lock = model.locksById.get(event.lock);
    const name = model.lockLabels.get(event.lock) ?? UNKNOWN_LOCK;
    const signal = model.signals.get(event.lock);
    const lines = [`PID ${event.pid}${event.tid !== undefined ? `, thread ${event.tid}` : ''}`];
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
  const process = model.lanes[lane]?.process;
  const sample = process?.samples.find((candidate) => candidate.t >= t);
  if (!process || !sample) return null;
  const waited = sample.runQueueMs !== undefined && sample.runQueueMs >= 1 ? `; ready but waiting for a free core ${formatMs(sample.runQueueMs)}` : '';
  return `PID ${process.pid} ${process.name}: CPU ${formatPercent(sample.cpu)} around ${formatMs(t)}${waited}`;
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
