// Figures derived from a run record: per-lock contention, waits for signals (Event,
// Barrier, Condition notify), per-channel traffic, per-worker tasks. Pure functions, shared
// by the command line's summary and the profiler panel.

import { isHeldLock, signalOf, type SignalKind } from './learnerNames';
import type { LockEvent, LockEventList, LockInfo, RunRecord } from './runRecord';

export interface LockStats {
  lock: LockInfo;
  acquisitions: number;
  failed: number;
  totalWaitMs: number;
  maxWaitMs: number;
  totalHoldMs: number;
  /** Fraction (0..1) of the run during which at least one process was waiting for the lock. */
  contendedShare: number;
}

/** Waits on one Event, Barrier or Condition (its notify): waits for a signal, not contention. */
export interface SignalWaitStats {
  lock: LockInfo;
  signal: SignalKind;
  waits: number;
  /** Waits that ended without the signal: timed out, a broken barrier, still waiting at the end. */
  unanswered: number;
  totalWaitMs: number;
  maxWaitMs: number;
}

export interface ChannelStats {
  channel: string;
  kind: 'queue' | 'pipe';
  api: string;
  /** Made inside the standard library (a pool's queues, a manager's handshake). */
  internal: boolean;
  messages: number;
  bytes: number;
  blockedMs: number;
}

export interface WorkerTaskStats {
  pid: number;
  tasks: number;
  items: number;
  busyMs: number;
  failed: number;
}

/**
 * Contention of the locks the program holds. Waits for a signal (signalOf) are not lock
 * contention, and the lock inside an Event or a Barrier is its own workings: neither is here
 * (signalWaitStats has the waits).
 */
export function lockStats(record: RunRecord<LockEventList>): LockStats[] {
  const byLock = new Map<string, { stats: LockStats; waits: number }>();
  for (const lock of record.locks) {
    if (!isHeldLock(lock)) continue;
    const aggregated = lock.aggregated;
    byLock.set(lock.id, {
      stats: {
        lock,
        acquisitions: aggregated?.acquisitions ?? 0,
        failed: 0,
        totalWaitMs: aggregated?.totalWaitMs ?? 0,
        maxWaitMs: aggregated?.maxWaitMs ?? 0,
        totalHoldMs: aggregated?.totalHoldMs ?? 0,
        contendedShare: 0,
      },
      waits: 0,
    });
  }
  for (const event of record.lockEvents) {
    const entry = byLock.get(event.lock);
    if (!entry) continue;
    const { stats } = entry;
    const wait = Math.max(0, waitEndOf(event, record.durationMs) - event.requestMs);
    stats.totalWaitMs += wait;
    stats.maxWaitMs = Math.max(stats.maxWaitMs, wait);
    if (wait > 0) entry.waits++;
    if (event.acquiredMs === null) {
      stats.failed++;
      continue;
    }
    stats.acquisitions++;
    stats.totalHoldMs += Math.max(0, (event.releasedMs ?? record.durationMs) - event.acquiredMs);
  }
  const waits = waitIntervals(record, byLock);
  const duration = Math.max(record.durationMs, 1e-9);
  return [...byLock.values()].map(({ stats }) => {
    const lock = waits.get(stats.lock.id);
    return { ...stats, contendedShare: lock ? Math.min(1, unionLength(lock.starts, lock.ends) / duration) : 0 };
  });
}

/**
 * Waits for an Event, at a Barrier and for a Condition's notify, per object, in record order.
 * Waits that came too often to trace one by one are in the object's aggregated counts: each
 * of those was answered (the tracer counts only waits that got their signal; the others
 * stay events), its wait from the call to the signal.
 */
export function signalWaitStats(record: RunRecord<LockEventList>): SignalWaitStats[] {
  const bySignal = new Map<string, SignalWaitStats>();
  for (const lock of record.locks) {
    const signal = signalOf(lock);
    if (signal === null) continue;
    const aggregated = lock.aggregated;
    bySignal.set(lock.id, {
      lock, signal, waits: aggregated?.acquisitions ?? 0, unanswered: 0, totalWaitMs: aggregated?.totalWaitMs ?? 0, maxWaitMs: aggregated?.maxWaitMs ?? 0,
    });
  }
  if (bySignal.size === 0) return [];
  for (const event of record.lockEvents) {
    const stats = bySignal.get(event.lock);
    if (!stats) continue;
    const wait = Math.max(0, waitEndOf(event, record.durationMs) - event.requestMs);
    stats.waits++;
    if (event.acquiredMs === null) stats.unanswered++;
    stats.totalWaitMs += wait;
    stats.maxWaitMs = Math.max(stats.maxWaitMs, wait);
  }
  return [...bySignal.values()];
}

/** Where a wait for the lock ended: at the acquire, else at the release, else at the end of the run. */
function waitEndOf(event: LockEvent, durationMs: number): number {
  return event.acquiredMs ?? event.releasedMs ?? durationMs;
}

/**
 * Each lock's waits as starts and ends, in arrays of the size counted on the first pass: a run
 * can have a million waits, and a pair array for each, or arrays grown as they fill, took the
 * summary more memory than the run's events themselves.
 */
function waitIntervals(record: RunRecord<LockEventList>, byLock: ReadonlyMap<string, { waits: number }>): Map<string, { starts: Float64Array; ends: Float64Array }> {
  const waits = new Map<string, { starts: Float64Array; ends: Float64Array; filled: number }>();
  for (const [id, { waits: count }] of byLock) {
    if (count > 0) waits.set(id, { starts: new Float64Array(count), ends: new Float64Array(count), filled: 0 });
  }
  if (waits.size === 0) return waits;
  for (const event of record.lockEvents) {
    const lock = waits.get(event.lock);
    const waitEnd = waitEndOf(event, record.durationMs);
    if (!lock || waitEnd <= event.requestMs) continue;
    lock.starts[lock.filled] = event.requestMs;
    lock.ends[lock.filled] = waitEnd;
    lock.filled++;
  }
  return waits;
}

export function channelStats(record: RunRecord<LockEventList>): ChannelStats[] {
  const byChannel = new Map<string, ChannelStats>();
  for (const channel of record.channels) {
    byChannel.set(channel.id, { channel: channel.id, kind: channel.kind, api: channel.api, internal: channel.internal, messages: 0, bytes: 0, blockedMs: 0 });
  }
  for (const event of record.ipcEvents) {
    let stats = byChannel.get(event.channel);
    if (!stats) {
      stats = { channel: event.channel, kind: event.kind, api: event.kind === 'queue' ? 'Queue' : 'Pipe', internal: false, messages: 0, bytes: 0, blockedMs: 0 };
      byChannel.set(event.channel, stats);
    }
    // A message is counted once, on the sending side; both sides can block.
    if (event.op === 'put' || event.op === 'send') {
      stats.messages++;
      stats.bytes += event.bytes;
    }
    stats.blockedMs += event.waitMs;
  }
  return [...byChannel.values()];
}

export function workerTaskStats(record: RunRecord<LockEventList>): WorkerTaskStats[] {
  const byPid = new Map<number, WorkerTaskStats>();
  for (const task of record.tasks) {
    const stats = byPid.get(task.pid) ?? { pid: task.pid, tasks: 0, items: 0, busyMs: 0, failed: 0 };
    stats.tasks++;
    stats.items += task.items;
    stats.busyMs += Math.max(0, task.endMs - task.startMs);
    if (!task.ok) stats.failed++;
    byPid.set(task.pid, stats);
  }
  return [...byPid.values()].sort((a, b) => a.pid - b.pid);
}

/**
 * Total length covered by intervals [starts[i], ends[i]] (each start at most its end),
 * overlaps counted once; sorts both arrays in place. A sweep over the starts and the ends,
 * each sorted on its own: a time is covered while more intervals have started than ended.
 */
export function unionLength(starts: Float64Array, ends: Float64Array): number {
  starts.sort();
  ends.sort();
  let total = 0;
  let open = 0;
  let coveredFrom = 0;
  let s = 0;
  for (let e = 0; e < ends.length; e++) {
    // The starts up to this end open first, so that intervals that touch join.
    while (s < starts.length && starts[s] <= ends[e]) {
      if (open === 0) coveredFrom = starts[s];
      open++;
      s++;
    }
    open--;
    if (open === 0) total += ends[e] - coveredFrom;
  }
  return total;
}
