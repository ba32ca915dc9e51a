// Exports a run record as Chrome Trace Event JSON, which opens in Perfetto and
// chrome://tracing: a track per process, slices for lock waits, lock holds and pool tasks,
// counter tracks for CPU per process and per core, flow arrows for messages, and a track per
// thread under its native id (threadTracks.ts). Locks and
// channels are named as the learner's code names them (shared/learnerNames); waits for an
// Event, at a Barrier or for notify are slices of their own ("signal-wait"), not lock waits.
//
// Trace viewers require the slices of one track to nest. Lock holds need not (a learner can
// release A before B, or release a Lock in another process), so each process's slices are
// laid out on as many tracks ("threads") as it takes for every track to nest; these take ids
// that none of the process's real threads has.

import { channelLabels, lockLabels, signalOf, signalWaitText, UNKNOWN_CHANNEL, UNKNOWN_LOCK, type SignalKind } from '../../../shared/learnerNames';
import type { LockEventList, ProcessEntry, RunRecord, SourceSite } from '../../../shared/runRecord';
import { threadTrackEvents } from './threadTracks';

interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M' | 's' | 'f' | 'i';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: string;
  bp?: 'e';
  s?: 'p' | 't' | 'g';
  args?: Record<string, unknown>;
}

interface Slice {
  name: string;
  cat: string;
  start: number;
  end: number;
  args: Record<string, unknown>;
}

/** A pid no process of a run has: the track that holds the per-core counters. */
const CORES_PID = 0;
/** Slices need a width to be clickable and to carry a flow arrow. */
const MIN_SLICE_US = 1;

export function toChromeTrace(record: RunRecord<LockEventList>): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms'; metadata: Record<string, unknown> } {
  const events: TraceEvent[] = [];
  const us = (ms: number): number => Math.round(ms * 1000);

  for (const process of record.processes) {
    events.push({ name: 'process_name', ph: 'M', pid: process.pid, args: { name: `${process.name} (${process.role})` } });
    events.push({ name: 'process_sort_index', ph: 'M', pid: process.pid, args: { sort_index: process.startMs } });
    for (const sample of process.samples) {
      events.push({ name: 'CPU %', ph: 'C', pid: process.pid, ts: us(sample.t), args: { cpu: round(sample.cpu) } });
    }
    events.push(...threadTrackEvents(process, record.durationMs, us));
  }
  events.push({ name: 'process_name', ph: 'M', pid: CORES_PID, args: { name: 'Cores' } });
  for (const sample of record.coreSamples) {
    // One stacked counter per core: the run's share and other programs', where known.
    sample.usage.forEach((busy, core) => {
      const run = sample.run?.[core];
      const args = run === undefined ? { busy: round(busy) } : { 'your run': round(run), 'other programs': round(Math.max(0, busy - run)) };
      events.push({ name: `core ${core} busy %`, ph: 'C', pid: CORES_PID, ts: us(sample.t), args });
    });
  }

  const slicesByPid = new Map<number, Slice[]>();
  const addSlice = (pid: number, slice: Slice): void => {
    const slices = slicesByPid.get(pid);
    if (slices) slices.push(slice);
    else slicesByPid.set(pid, [slice]);
  };
  const lockLabel = lockLabels(record.locks);
  const signals = new Map<string, SignalKind>();
  for (const lock of record.locks) {
    const signal = signalOf(lock);
    if (signal !== null) signals.set(lock.id, signal);
  }
  for (const event of record.lockEvents) {
    const label = lockLabel.get(event.lock) ?? UNKNOWN_LOCK;
    const waitEnd = event.acquiredMs ?? event.releasedMs ?? record.durationMs;
    const site = siteArgs(event.site);
    const signal = signals.get(event.lock);
    if (signal !== undefined) {
      // A wait for a signal holds nothing: one slice, as long as the wait.
      addSlice(event.pid, {
        name: `${signalWaitText(signal)}: ${label}`, cat: 'signal-wait', start: us(event.requestMs), end: Math.max(us(waitEnd), us(event.requestMs) + MIN_SLICE_US),
        args: { lock: event.lock, signalled: event.acquiredMs !== null, ...site },
      });
      continue;
    }
    if (waitEnd > event.requestMs) {
      addSlice(event.pid, {
        name: `wait ${label}`, cat: 'lock-wait', start: us(event.requestMs), end: us(waitEnd),
        args: { lock: event.lock, acquired: event.acquiredMs !== null, ...site },
      });
    }
    if (event.acquiredMs !== null) {
      addSlice(event.pid, {
        name: `hold ${label}`, cat: 'lock-hold', start: us(event.acquiredMs), end: us(event.releasedMs ?? record.durationMs),
        args: { lock: event.lock, ...site, ...(event.releasedBy ? { releasedBy: event.releasedBy } : {}) },
      });
    }
  }
  for (const task of record.tasks) {
    addSlice(task.pid, {
      name: task.items > 1 ? `${task.fn} ×${task.items}` : task.fn, cat: 'task', start: us(task.startMs), end: us(task.endMs),
      args: { pool: task.pool, items: task.items, ok: task.ok, ...(task.submitMs !== undefined ? { submitMs: task.submitMs } : {}), ...siteArgs(task.site) },
    });
  }
  // Messages: a slice on each side (as long as it blocked), joined by a flow arrow.
  const channelLabel = channelLabels(record.channels);
  for (const message of record.ipcEvents) {
    const end = us(message.t);
    const start = Math.min(end - MIN_SLICE_US, us(message.t - message.waitMs));
    addSlice(message.pid, {
      name: `${message.op} ${channelLabel.get(message.channel) ?? UNKNOWN_CHANNEL}`, cat: `ipc-${message.op}`, start, end,
      args: { channel: message.channel, bytes: message.bytes, waitMs: message.waitMs, ...siteArgs(message.site), ...(message.message ? { message: message.message } : {}) },
    });
  }

  const threadIds = threadIdsByPid(record.processes);
  for (const [pid, slices] of slicesByPid) {
    const tracks = layOutNested(slices);
    const taken = threadIds.get(pid) ?? new Set<number>();
    tracks.forEach((track, index) => {
      let tid = pid * 1000 + index;
      while (taken.has(tid)) tid++;
      taken.add(tid);
      events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: index === 0 ? 'events' : `events (${index + 1})` } });
      // After the process's threads.
      events.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: 100_000 + index } });
      for (const slice of track) {
        events.push({ name: slice.name, cat: slice.cat, ph: 'X', pid, tid, ts: slice.start, dur: Math.max(MIN_SLICE_US, slice.end - slice.start), args: slice.args });
        const message = slice.args.message as string | undefined;
        if (!message) continue;
        const sending = slice.cat === 'ipc-put' || slice.cat === 'ipc-send';
        events.push({ name: 'message', cat: 'ipc', ph: sending ? 's' : 'f', ...(sending ? {} : { bp: 'e' as const }), id: message, pid, tid, ts: slice.end - MIN_SLICE_US });
      }
    });
  }

  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    metadata: { source: 'Parallel Lab', file: record.file, schema: record.schema, startedAt: record.startedAt },
  };
}

/** The native ids of each pid's threads (a reused pid's processes together). */
function threadIdsByPid(processes: readonly ProcessEntry[]): Map<number, Set<number>> {
  const byPid = new Map<number, Set<number>>();
  for (const process of processes) {
    const tids = byPid.get(process.pid) ?? new Set<number>();
    for (const thread of process.threads ?? []) tids.add(thread.tid);
    byPid.set(process.pid, tids);
  }
  return byPid;
}

/**
 * Splits slices into tracks on which every pair either nests or does not overlap: each
 * slice goes onto the first track whose innermost open slice contains it.
 */
export function layOutNested<T extends { start: number; end: number }>(slices: T[]): T[][] {
  const ordered = [...slices].sort((a, b) => a.start - b.start || b.end - a.end);
  const tracks: Array<{ slices: T[]; open: T[] }> = [];
  for (const slice of ordered) {
    const end = Math.max(slice.end, slice.start + MIN_SLICE_US);
    let placed = false;
    for (const track of tracks) {
      while (track.open.length > 0 && effectiveEnd(track.open[track.open.length - 1]) <= slice.start) track.open.pop();
      const parent = track.open[track.open.length - 1];
      if (!parent || effectiveEnd(parent) >= end) {
        track.slices.push(slice);
        track.open.push(slice);
        placed = true;
        break;
      }
    }
    if (!placed) tracks.push({ slices: [slice], open: [slice] });
  }
  return tracks.map((track) => track.slices);
}

function effectiveEnd(slice: { start: number; end: number }): number {
  return Math.max(slice.end, slice.start + MIN_SLICE_US);
}

function siteArgs(site: SourceSite | null): Record<string, unknown> {
  return site ? { file: site.file, line: site.line, ...(site.function ? { function: site.function } : {}) } : {};
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
