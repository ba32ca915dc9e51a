// What happened at each line of the learner's code: lock waits and holds, waits for a
// signal (an Event, a Barrier, a Condition's notify: not lock waits), messages, pool tasks,
// and which processes did it. Shared by the editor decorations (host) and the code
// view (webview), so both say the same thing about a line.

import { formatBytes, formatMs } from './format';
import { channelLabels, isPartOfSignal, lockLabels, signalOf, signalWaitText, UNKNOWN_CHANNEL, UNKNOWN_LOCK, type SignalKind } from './learnerNames';
import type { LockEventList, RunRecord, SourceSite } from './runRecord';

/** Waits at one line for one kind of signal. */
export interface LineSignalWaits {
  signal: SignalKind;
  waits: number;
  /** The Events, Barriers or Conditions waited on, as the learner named them (learnerNames). */
  names: string[];
  /** Waits that ended without the signal (timed out, broken barrier, still waiting at the end). */
  unanswered: number;
  waitMs: number;
}

export interface LineActivity {
  line: number;
  lockCycles: number;
  /** Acquires that failed, timed out, or were still waiting at the end. */
  lockFailures: number;
  waitMs: number;
  holdMs: number;
  messages: number;
  bytes: number;
  blockedMs: number;
  /** Pool tasks submitted here: one per call for apply/submit, one per chunk for map and its kin. */
  tasks: number;
  /** The items those tasks carried: a chunk of map(chunksize=3) is one task of 3 items. */
  items: number;
  /** The locks held at this line and the channels used, as the learner named them (learnerNames). */
  lockNames: string[];
  channelNames: string[];
  /** Waits for an Event, at a Barrier, for a Condition's notify: not in lockCycles nor waitMs. */
  signalWaits: LineSignalWaits[];
  pids: number[];
}

export interface LineActivityOptions {
  /** Include locks and channels made inside the standard library (hidden by default). */
  includeInternal?: boolean;
}

/** The parts of a record that line figures come from (a live run has them too). */
export type ActivityView = Pick<RunRecord<LockEventList>, 'file' | 'durationMs' | 'locks' | 'lockEvents' | 'channels' | 'ipcEvents' | 'tasks'>;

/** Per-line figures for one source file, in line order. */
export function lineActivity(record: ActivityView, file: string, options: LineActivityOptions = {}): LineActivity[] {
  const internalLocks = new Set(record.locks.filter((lock) => lock.internal).map((lock) => lock.id));
  const lockLabel = lockLabels(record.locks);
  const channelLabel = channelLabels(record.channels);
  const signals = new Map<string, SignalKind>();
  const partsOfSignals = new Set<string>();
  for (const lock of record.locks) {
    const signal = signalOf(lock);
    if (signal !== null) signals.set(lock.id, signal);
    else if (isPartOfSignal(lock)) partsOfSignals.add(lock.id);
  }
  const internalChannels = new Set(record.channels.filter((channel) => channel.internal).map((channel) => channel.id));
  const lines = new Map<number, LineActivity & { pidSet: Set<number> }>();
  const at = (site: SourceSite | null): (LineActivity & { pidSet: Set<number> }) | undefined => {
    if (!site || !sameFile(site.file, file)) return undefined;
    let entry = lines.get(site.line);
    if (!entry) {
      entry = { line: site.line, lockCycles: 0, lockFailures: 0, waitMs: 0, holdMs: 0, messages: 0, bytes: 0, blockedMs: 0, tasks: 0, items: 0, lockNames: [], channelNames: [], signalWaits: [], pids: [], pidSet: new Set() };
      lines.set(site.line, entry);
    }
    return entry;
  };

  for (const event of record.lockEvents) {
    if (!options.includeInternal && internalLocks.has(event.lock)) continue;
    if (partsOfSignals.has(event.lock)) continue;
    const entry = at(event.site);
    if (!entry) continue;
    entry.pidSet.add(event.pid);
    const waitEnd = event.acquiredMs ?? event.releasedMs ?? record.durationMs;
    const signal = signals.get(event.lock);
    if (signal !== undefined) {
      let waits = entry.signalWaits.find((each) => each.signal === signal);
      if (!waits) {
        waits = { signal, waits: 0, names: [], unanswered: 0, waitMs: 0 };
        entry.signalWaits.push(waits);
      }
      addOnce(waits.names, lockLabel.get(event.lock) ?? UNKNOWN_LOCK);
      waits.waits++;
      if (event.acquiredMs === null) waits.unanswered++;
      waits.waitMs += Math.max(0, waitEnd - event.requestMs);
      continue;
    }
    addOnce(entry.lockNames, lockLabel.get(event.lock) ?? UNKNOWN_LOCK);
    entry.waitMs += Math.max(0, waitEnd - event.requestMs);
    if (event.acquiredMs === null) {
      entry.lockFailures++;
      continue;
    }
    entry.lockCycles++;
    entry.holdMs += Math.max(0, (event.releasedMs ?? record.durationMs) - event.acquiredMs);
  }
  for (const event of record.ipcEvents) {
    if (!options.includeInternal && internalChannels.has(event.channel)) continue;
    const entry = at(event.site);
    if (!entry) continue;
    entry.pidSet.add(event.pid);
    addOnce(entry.channelNames, channelLabel.get(event.channel) ?? UNKNOWN_CHANNEL);
    entry.messages++;
    entry.bytes += event.bytes;
    entry.blockedMs += event.waitMs;
  }
  for (const task of record.tasks) {
    const entry = at(task.site);
    if (!entry) continue;
    entry.pidSet.add(task.pid);
    entry.tasks++;
    entry.items += task.items;
  }
  return [...lines.values()]
    .sort((a, b) => a.line - b.line)
    .map(({ pidSet, ...entry }) => ({ ...entry, pids: [...pidSet].sort((a, b) => a - b) }));
}

/**
 * "waited 120 ms · held 30 ms · 10 processes", "waited for the event 271 ms · 3 processes":
 * the one-line figure for a line.
 */
export function describeLineActivity(activity: LineActivity): string {
  const parts: string[] = [];
  if (activity.lockCycles + activity.lockFailures > 0) {
    parts.push(`waited ${formatMs(activity.waitMs)}`, `held ${formatMs(activity.holdMs)}`);
    if (activity.lockFailures > 0) parts.push(`${activity.lockFailures} not acquired`);
  }
  for (const waits of activity.signalWaits) parts.push(describeSignalWaits(waits));
  if (activity.messages > 0) parts.push(`${activity.messages} ${plural(activity.messages, 'message')} (${formatBytes(activity.bytes)}, blocked ${formatMs(activity.blockedMs)})`);
  if (activity.tasks > 0) {
    parts.push(`${activity.tasks} ${plural(activity.tasks, 'task')}`);
    // Chunks carry several items each: say how many, since they are what the learner passed.
    if (activity.items !== activity.tasks) parts.push(`${activity.items} ${plural(activity.items, 'item')}`);
  }
  parts.push(`${activity.pids.length} ${plural(activity.pids.length, 'process', 'processes')}`);
  return parts.join(' · ');
}

/**
 * "waited for the event 271 ms", "2× waited at the barrier 40 ms (1 did not pass)": a wait
 * without its signal timed out, broke (a barrier) or was still waiting when the run ended.
 */
export function describeSignalWaits(waits: LineSignalWaits): string {
  const times = waits.waits > 1 ? `${waits.waits}× ` : '';
  const without = { event: 'not set', barrier: 'did not pass', notify: 'not notified' }[waits.signal];
  const unanswered = waits.unanswered > 0 ? ` (${waits.unanswered} ${without})` : '';
  return `${times}${signalWaitText(waits.signal)} ${formatMs(waits.waitMs)}${unanswered}`;
}

/** Paths from Python (a spawn child may report a different but equal spelling). */
function sameFile(a: string, b: string): boolean {
  const normal = (path: string): string => path.replace(/\\/g, '/').replace(/\/+/g, '/');
  return normal(a) === normal(b) || (/^[a-z]:/i.test(a) && normal(a).toLowerCase() === normal(b).toLowerCase());
}

function addOnce(names: string[], name: string): void {
  if (!names.includes(name)) names.push(name);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
