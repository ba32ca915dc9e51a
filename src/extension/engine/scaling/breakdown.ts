// Where the missing speedup of one process-pool run went, each part measured from that run's
// record (see ScalingBreakdown). The harness makes no queue or lock of its own besides the
// pool, so the record's internal channels are the pool's.

import { isHeldLock } from '../../../shared/learnerNames';
import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import type { ScalingBreakdown } from '../../../shared/scaling';

export interface PoolRun {
  workers: number;
  /** When the pool was created, on the record's time axis. */
  poolCreatedMs: number;
  record: RunRecord<LockEventList>;
}

export function measureBreakdown(run: PoolRun, sequentialWallMs: number): ScalingBreakdown {
  const { record } = run;
  const workerPids = new Set(record.processes.filter((process) => process.role === 'pool-worker').map((process) => process.pid));
  const tasks = record.tasks.filter((task) => workerPids.has(task.pid));
  return {
    workers: run.workers,
    startupMs: startupMs(run, workerPids),
    ...pickling(record),
    lockWaitMs: learnerLockWaitMs(record),
    idleTailMs: idleTailMs(record, workerPids, tasks),
    slowerWorkMs: Math.max(0, tasks.reduce((sum, task) => sum + (task.endMs - task.startMs), 0) - sequentialWallMs),
  };
}

/**
 * From the pool's creation until its last worker began working: its first task, or its start
 * when it never got a task. A process start alone would miss a spawned worker's imports.
 */
function startupMs(run: PoolRun, workerPids: ReadonlySet<number>): number {
  let lastReady = run.poolCreatedMs;
  for (const process of run.record.processes) {
    if (!workerPids.has(process.pid)) continue;
    const firstTask = Math.min(...run.record.tasks.filter((task) => task.pid === process.pid).map((task) => task.startMs));
    lastReady = Math.max(lastReady, Number.isFinite(firstTask) ? firstTask : process.startMs);
  }
  return lastReady - run.poolCreatedMs;
}

/**
 * Each message counted once, at its put or send. Only senders' waits are transfer: a get
 * waits for the message to exist, which is a worker idle or the parent waiting for results.
 */
function pickling(record: RunRecord<LockEventList>): Pick<ScalingBreakdown, 'pickledBytes' | 'transferMs'> {
  const poolChannels = new Set(record.channels.filter((channel) => channel.internal).map((channel) => channel.id));
  let pickledBytes = 0;
  let transferMs = 0;
  for (const event of record.ipcEvents) {
    if (!poolChannels.has(event.channel) || (event.op !== 'put' && event.op !== 'send')) continue;
    pickledBytes += event.bytes;
    transferMs += event.waitMs;
  }
  return { pickledBytes, transferMs };
}

/**
 * The learner's own locks only: the pool's internal locks guard its queues, and a worker
 * waiting on the task queue's lock is a worker waiting for work, counted as idle instead.
 * Waits for an Event, at a Barrier or for notify are waits for a signal, not for a lock.
 */
function learnerLockWaitMs(record: RunRecord<LockEventList>): number {
  const learnerLocks = new Set(record.locks.filter((lock) => !lock.internal && isHeldLock(lock)).map((lock) => lock.id));
  let waitMs = 0;
  for (const event of record.lockEvents) {
    if (!learnerLocks.has(event.lock)) continue;
    waitMs += Math.max(0, (event.acquiredMs ?? event.releasedMs ?? record.durationMs) - event.requestMs);
  }
  for (const lock of record.locks) {
    if (!lock.internal && isHeldLock(lock) && lock.aggregated) waitMs += lock.aggregated.totalWaitMs;
  }
  return waitMs;
}

/** A worker that never got a task (more workers than chunks) was idle from its start. */
function idleTailMs(record: RunRecord<LockEventList>, workerPids: ReadonlySet<number>, tasks: RunRecord['tasks']): number {
  const lastEnd = new Map<number, number>();
  for (const process of record.processes) if (workerPids.has(process.pid)) lastEnd.set(process.pid, process.startMs);
  for (const task of tasks) lastEnd.set(task.pid, Math.max(lastEnd.get(task.pid) ?? -Infinity, task.endMs));
  const ends = [...lastEnd.values()];
  if (ends.length === 0) return 0;
  const slowest = Math.max(...ends);
  return ends.reduce((sum, end) => sum + (slowest - end), 0);
}
