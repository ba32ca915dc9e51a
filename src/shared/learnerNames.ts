// What the learner sees a lock or a channel called, and what a wait on it is. The name is
// the one their code gave it (read by the tracer from the line that made it: `lock`,
// `self.lock`, `counter.get_lock()`, `results`, `parent_end ↔ child_end`); where the line
// names nothing, what it is and where it was made ("Lock made at line 12"). Ids such as
// `lock-22456-0` are the record's identities, never shown. Shared by the panel, the CLI
// summary, the Chrome trace and the editor figures, so they all call a thing the same.

import type { ChannelInfo, LockInfo } from './runRecord';

/**
 * A wait for a signal, not for a lock: Event.wait (the event), Barrier.wait (the barrier),
 * Condition.wait (notify). Their cycles are waits; no one holds anything.
 */
export type SignalKind = 'event' | 'barrier' | 'notify';

/** The api of a Condition's waits for notify (their id is the Condition lock's + "/wait"). */
export const NOTIFY_WAIT_API = 'Condition.wait';
const NOTIFY_WAIT_SUFFIX = '/wait';

/** The signal a lock's cycles wait for, or null for a lock (whose cycles are holds). */
export function signalOf(lock: LockInfo | undefined): SignalKind | null {
  if (!lock) return null;
  if (lock.api === NOTIFY_WAIT_API) return 'notify';
  if (lock.kind === 'Event') return 'event';
  if (lock.kind === 'Barrier') return 'barrier';
  return null;
}

/**
 * The lock inside an Event (or a Barrier) the standard library takes around its wait and
 * set: the Event's own workings, shown neither beside it nor as contention. The tracer no
 * longer reports it; records made before still list it (internal, api "Event").
 */
export function isPartOfSignal(lock: LockInfo): boolean {
  return lock.internal && signalOf(lock) === null && (lock.api === 'Event' || lock.api === 'Barrier');
}

/** Locks whose cycles are holds of a lock: what lock tables and contention figures count. */
export function isHeldLock(lock: LockInfo): boolean {
  return signalOf(lock) === null && !isPartOfSignal(lock);
}

/** "waited for the event", "waited at the barrier", "waited for notify". */
export function signalWaitText(signal: SignalKind): string {
  switch (signal) {
    case 'event': return 'waited for the event';
    case 'barrier': return 'waited at the barrier';
    case 'notify': return 'waited for notify';
  }
}

/**
 * Each lock's label by id. Several locks with the same name (one line run twice, in a loop
 * or a function) are told apart as "lock #1", "lock #2" in the order the record lists them.
 * A Condition's waits for notify take the label of its lock.
 */
export function lockLabels(locks: readonly LockInfo[]): Map<string, string> {
  const plain = locks.filter((lock) => lock.api !== NOTIFY_WAIT_API);
  const labels = numbered(plain.map((lock) => [lock.id, lockBaseLabel(lock)]));
  for (const lock of locks) {
    if (lock.api !== NOTIFY_WAIT_API) continue;
    const owner = lock.id.endsWith(NOTIFY_WAIT_SUFFIX) ? labels.get(lock.id.slice(0, -NOTIFY_WAIT_SUFFIX.length)) : undefined;
    labels.set(lock.id, lock.name ?? owner ?? lockBaseLabel(lock));
  }
  return labels;
}

/** Each channel's label by id, told apart as lockLabels does. */
export function channelLabels(channels: readonly ChannelInfo[]): Map<string, string> {
  return numbered(channels.map((channel) => [channel.id, channelBaseLabel(channel)]));
}

/** A label for an id no lock of the record has (an event that arrived before its lock). */
export const UNKNOWN_LOCK = 'a lock';
export const UNKNOWN_CHANNEL = 'a channel';

function lockBaseLabel(lock: LockInfo): string {
  if (lock.name !== undefined) return lock.name;
  const owner = /^(\w+)\.get_lock$/.exec(lock.api);
  const what = owner
    ? `lock of the ${owner[1]}`
    : lock.api === NOTIFY_WAIT_API
      ? 'Condition'
      : lock.internal && lock.api !== lock.kind
        ? `${lock.kind} inside a ${lock.api}`
        : lock.kind;
  return madeAt(what, lock.site);
}

function channelBaseLabel(channel: ChannelInfo): string {
  if (channel.name !== undefined) return channel.name;
  return madeAt(channel.internal ? `${channel.api} of the standard library` : channel.api, channel.site);
}

function madeAt(what: string, site: { line: number } | null): string {
  return site ? `${what} made at line ${site.line}` : `${what} (where it was made is not known)`;
}

function numbered(entries: ReadonlyArray<[id: string, label: string]>): Map<string, string> {
  const counts = new Map<string, number>();
  for (const [, label] of entries) counts.set(label, (counts.get(label) ?? 0) + 1);
  const seen = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const [id, label] of entries) {
    if ((counts.get(label) ?? 0) < 2) {
      labels.set(id, label);
      continue;
    }
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    labels.set(id, `${label} #${n}`);
  }
  return labels;
}
