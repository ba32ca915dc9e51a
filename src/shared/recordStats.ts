// Figures derived from a run record: per-lock contention, per-channel traffic, per-worker
// tasks. Pure functions, shared by the command line's summary and the profiler panel.

import type { LockInfo, LockEventList, RunRecord } from './runRecord';

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

export interface ChannelStats {
  channel: string;
  kind: 'queue' | 'pipe';
  api: string;
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

export function lockStats(record: RunRecord<LockEventList>): LockStats[] {
  const byLock = new Map<string, { stats: LockStats; waits: Array<[number, number]> }>();
  for (const lock of record.locks) {
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
      waits: [],
    });
  }
  for (const event of record.lockEvents) {
    const entry = byLock.get(event.lock);
    if (!entry) continue;
    const { stats } = entry;
    const waitEnd = event.acquiredMs ?? event.releasedMs ?? record.durationMs;
    const wait = Math.max(0, waitEnd - event.requestMs);
    stats.totalWaitMs += wait;
    stats.maxWaitMs = Math.max(stats.maxWaitMs, wait);
    if (wait > 0) entry.waits.push([event.requestMs, waitEnd]);
    if (event.acquiredMs === null) {
      stats.failed++;
      continue;
    }
    stats.acquisitions++;
    stats.totalHoldMs += Math.max(0, (event.releasedMs ?? record.durationMs) - event.acquiredMs);
  }
  const duration = Math.max(record.durationMs, 1e-9);
  return [...byLock.values()].map(({ stats, waits }) => ({ ...stats, contendedShare: Math.min(1, unionLength(waits) / duration) }));
}

export function channelStats(record: RunRecord<LockEventList>): ChannelStats[] {
  const byChannel = new Map<string, ChannelStats>();
  for (const channel of record.channels) {
    byChannel.set(channel.id, { channel: channel.id, kind: channel.kind, api: channel.api, messages: 0, bytes: 0, blockedMs: 0 });
  }
  for (const event of record.ipcEvents) {
    let stats = byChannel.get(event.channel);
    if (!stats) {
      stats = { channel: event.channel, kind: event.kind, api: event.kind === 'queue' ? 'Queue' : 'Pipe', messages: 0, bytes: 0, blockedMs: 0 };
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

/** Total length covered by a set of intervals, overlaps counted once. */
export function unionLength(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const [from, to] of sorted) {
    if (from > end) {
      if (end > start) total += end - start;
      [start, end] = [from, to];
    } else if (to > end) {
      end = to;
    }
  }
  if (end > start) total += end - start;
  return total;
}
