// Builds the activity part of a run record (locks, lock events, channels, messages, pool
// tasks) from the tracer's records.
//
// Each process reports only what it saw; the pieces are joined here:
// - a cycle still in progress (`lock-open`) is shown until its complete cycle replaces it,
//   so a deadlocked run still shows who waited and who held;
// - a lock acquired in one process and released in another arrives as a cycle without a
//   release plus a `lock-release` from the other process, paired in time order;
// - a message is paired with the one that received it (FIFO per channel and direction);
// - a pool task is matched with the parent's submit time.
// Everything is bounded: past a cap, events are counted as dropped and the record says
// `truncated`. Lock events, the most numerous, are kept as columns (lockEventColumns.ts).

import type {
  ChannelInfo,
  IpcEvent,
  LockAggregate,
  LockInfo,
  SourceSite,
  TaskRecord,
} from '../../../shared/runRecord';
import { LockEventColumns, type TracedLockEvent } from './lockEventColumns';
import { ipcEventOf, lockEventOf, SiteTable, taskOf } from '../tracer/tracerEvents';
import type { TracerRecord } from '../tracer/tracerProtocol';

export interface ActivityCaps {
  lockEvents: number;
  ipcEvents: number;
  tasks: number;
}

export const DEFAULT_ACTIVITY_CAPS: ActivityCaps = { lockEvents: 1_000_000, ipcEvents: 500_000, tasks: 500_000 };

type ActivityRecord = Extract<
  TracerRecord,
  { type: 'site' | 'lock-new' | 'lock-batch' | 'lock-release' | 'lock-open' | 'lock-stats' | 'channel-new' | 'ipc-batch' | 'task-batch' | 'task-submit' }
>;

const ACTIVITY_TYPES = new Set<string>([
  'site', 'lock-new', 'lock-batch', 'lock-release', 'lock-open', 'lock-stats', 'channel-new', 'ipc-batch', 'task-batch', 'task-submit',
]);

export function isActivityRecord(record: TracerRecord): record is ActivityRecord {
  return ACTIVITY_TYPES.has(record.type);
}

interface PendingRelease {
  lock: string;
  pid: number;
  t: number;
}

export interface Activity {
  locks: LockInfo[];
  lockEvents: LockEventColumns;
  channels: ChannelInfo[];
  ipcEvents: IpcEvent[];
  tasks: TaskRecord[];
  /** Locks the tracer switched to aggregated counts (for a warning). */
  aggregatedLocks: LockInfo[];
}

export class ActivityBuilder {
  private readonly sites = new SiteTable();
  private readonly locks = new Map<string, LockInfo>();
  private readonly lockEvents = new LockEventColumns();
  /** In-progress cycles shown from `lock-open`, by "pid:tid:lock:requestMs" (waits) or "pid:tid:lock@acquiredMs" (holds). */
  private readonly openCycles = new Map<string, number>();
  private readonly releases: PendingRelease[] = [];
  private readonly lockStats = new Map<string, Extract<TracerRecord, { type: 'lock-stats' }>>();
  private readonly channels = new Map<string, ChannelInfo>();
  // Messages and tasks are the record's own objects, joined in place: what only the joining
  // needs (a message's pipe end, a task's submit key) is kept beside them, by index, so that
  // finish() hands them out without copying half a million objects.
  private readonly ipcEvents: IpcEvent[] = [];
  private readonly ipcEndpoints: number[] = [];
  private readonly tasks: TaskRecord[] = [];
  private readonly taskSubmitKeys: Array<string | null> = [];
  private readonly submits = new Map<string, { t: number; site: SourceSite | null }>();
  truncated = false;

  constructor(private readonly caps: ActivityCaps = DEFAULT_ACTIVITY_CAPS) {}

  apply(record: ActivityRecord): void {
    switch (record.type) {
      case 'site':
        this.sites.define(record);
        break;
      case 'lock-new': {
        const known = this.locks.get(record.lock);
        const site = this.sites.get(record.pid, record.site);
        if (!known) {
          this.locks.set(record.lock, { id: record.lock, kind: record.kind, api: record.api, internal: record.internal, site });
        } else if (!known.site && site) {
          known.site = site;
        }
        break;
      }
      case 'lock-batch':
        for (const tuple of record.events) {
          const event = lockEventOf(record.pid, tuple, this.sites);
          const { tid, lock, requestMs, acquiredMs } = event;
          const replaces = this.openCycles.size === 0 ? undefined : this.openCycles.get(waitKey(record.pid, tid, lock, requestMs)) ??
            (acquiredMs !== null ? this.openCycles.get(holdKey(record.pid, tid, lock, acquiredMs)) : undefined);
          if (replaces !== undefined) {
            this.lockEvents.set(replaces, event);
            this.openCycles.delete(waitKey(record.pid, tid, lock, requestMs));
            if (acquiredMs !== null) this.openCycles.delete(holdKey(record.pid, tid, lock, acquiredMs));
          } else {
            this.pushLockEvent(event);
          }
        }
        break;
      case 'lock-release':
        for (const [, lock, t] of record.events) this.releases.push({ lock, pid: record.pid, t });
        break;
      case 'lock-open': {
        const key = waitKey(record.pid, record.tid, record.lock, record.requestMs);
        const event: TracedLockEvent = {
          lock: record.lock, pid: record.pid, tid: record.tid, requestMs: record.requestMs,
          acquiredMs: record.acquiredMs, releasedMs: null, site: this.sites.get(record.pid, record.site),
        };
        this.showOpen(key, event);
        for (const [lock, acquiredMs, siteId] of record.held) {
          this.showOpen(holdKey(record.pid, record.tid, lock, acquiredMs), {
            lock, pid: record.pid, tid: record.tid, requestMs: acquiredMs, acquiredMs, releasedMs: null, site: this.sites.get(record.pid, siteId),
          });
        }
        break;
      }
      case 'lock-stats':
        this.lockStats.set(`${record.pid}:${record.lock}`, record);
        break;
      case 'channel-new': {
        const known = this.channels.get(record.channel);
        const site = this.sites.get(record.pid, record.site);
        if (!known) {
          this.channels.set(record.channel, { id: record.channel, kind: record.kind, api: record.api, internal: record.internal, site });
        } else if (!known.site && site) {
          known.site = site;
        }
        break;
      }
      case 'ipc-batch':
        for (const tuple of record.events) {
          if (this.ipcEvents.length >= this.caps.ipcEvents) {
            this.truncated = true;
            break;
          }
          this.ipcEvents.push(ipcEventOf(record.pid, tuple, this.sites));
          this.ipcEndpoints.push(tuple[2]);
        }
        break;
      case 'task-batch':
        for (const tuple of record.events) {
          if (this.tasks.length >= this.caps.tasks) {
            this.truncated = true;
            break;
          }
          this.tasks.push(taskOf(record.pid, tuple, this.sites));
          this.taskSubmitKeys.push(tuple[7]);
        }
        break;
      case 'task-submit':
        for (const [key, t, siteId] of record.events) this.submits.set(key, { t, site: this.sites.get(record.pid, siteId) });
        break;
    }
  }

  /** The activity joined so far; safe to call again as more records arrive. */
  finish(): Activity {
    this.pairCrossProcessReleases();
    const aggregatedLocks = this.applyAggregates();
    return {
      locks: [...this.locks.values()],
      lockEvents: this.lockEvents,
      channels: [...this.channels.values()],
      ipcEvents: this.pairMessages(),
      tasks: this.matchSubmits(),
      aggregatedLocks,
    };
  }

  private pushLockEvent(event: TracedLockEvent): number | undefined {
    if (this.lockEvents.length >= this.caps.lockEvents) {
      this.truncated = true;
      return undefined;
    }
    return this.lockEvents.push(event);
  }

  private showOpen(key: string, event: TracedLockEvent): void {
    const index = this.openCycles.get(key);
    if (index !== undefined) {
      this.lockEvents.set(index, event);
      return;
    }
    const added = this.pushLockEvent(event);
    if (added !== undefined) this.openCycles.set(key, added);
  }

  /** Each release by another process closes the earliest unreleased cycle of that lock acquired before it. */
  private pairCrossProcessReleases(): void {
    if (this.releases.length === 0) return;
    const events = this.lockEvents;
    // By lock: the indices of cycles acquired and not released, earliest acquire first.
    const unreleased = new Map<string, number[]>();
    for (let index = 0; index < events.length; index++) {
      if (events.acquiredMsOf(index) === null || events.releasedMsOf(index) !== null) continue;
      const lock = events.lockOf(index);
      const list = unreleased.get(lock);
      if (list) list.push(index);
      else unreleased.set(lock, [index]);
    }
    for (const list of unreleased.values()) list.sort((a, b) => events.acquiredMsOf(a)! - events.acquiredMsOf(b)!);
    // A release whose acquire has not arrived yet (the run is still going) waits for a later call.
    const unpaired: PendingRelease[] = [];
    for (const release of [...this.releases].sort((a, b) => a.t - b.t)) {
      const list = unreleased.get(release.lock);
      const at = list?.findIndex((index) => events.acquiredMsOf(index)! <= release.t) ?? -1;
      if (!list || at < 0) {
        unpaired.push(release);
        continue;
      }
      const [index] = list.splice(at, 1);
      events.release(index, release.t, release.pid);
    }
    this.releases.splice(0, this.releases.length, ...unpaired);
  }

  private applyAggregates(): LockInfo[] {
    const aggregated = new Map<string, LockAggregate>();
    for (const stats of this.lockStats.values()) {
      const total = aggregated.get(stats.lock);
      if (!total) {
        aggregated.set(stats.lock, {
          sinceMs: stats.sinceMs, acquisitions: stats.acquisitions, totalWaitMs: stats.totalWaitMs, maxWaitMs: stats.maxWaitMs,
          totalHoldMs: stats.totalHoldMs, waitHistogram: [...stats.waitHistogram], holdHistogram: [...stats.holdHistogram], bucketsMs: stats.bucketsMs,
        });
        continue;
      }
      total.sinceMs = Math.min(total.sinceMs, stats.sinceMs);
      total.acquisitions += stats.acquisitions;
      total.totalWaitMs += stats.totalWaitMs;
      total.maxWaitMs = Math.max(total.maxWaitMs, stats.maxWaitMs);
      total.totalHoldMs += stats.totalHoldMs;
      stats.waitHistogram.forEach((count, i) => (total.waitHistogram[i] = (total.waitHistogram[i] ?? 0) + count));
      stats.holdHistogram.forEach((count, i) => (total.holdHistogram[i] = (total.holdHistogram[i] ?? 0) + count));
    }
    const locks: LockInfo[] = [];
    for (const [id, aggregate] of aggregated) {
      const lock = this.locks.get(id) ?? { id, kind: 'Lock', api: 'Lock', internal: false, site: null };
      lock.aggregated = aggregate;
      this.locks.set(id, lock);
      locks.push(lock);
    }
    return locks;
  }

  /** Gives each message an id shared by its send and its receipt: FIFO per channel and direction. */
  private pairMessages(): IpcEvent[] {
    const sent = new Map<string, IpcEvent[]>();
    const received = new Map<string, IpcEvent[]>();
    this.ipcEvents.forEach((event, index) => {
      const sending = event.op === 'put' || event.op === 'send';
      const endpoint = this.ipcEndpoints[index];
      // A pipe's send on one end arrives at the other; a queue has one direction.
      const lane = event.kind === 'pipe' ? `${event.channel}>${sending ? 1 - endpoint : endpoint}` : event.channel;
      const side = sending ? sent : received;
      const list = side.get(lane);
      if (list) list.push(event);
      else side.set(lane, [event]);
    });
    for (const [lane, sends] of sent) {
      const receipts = received.get(lane) ?? [];
      sends.sort((a, b) => a.t - b.t);
      receipts.sort((a, b) => a.t - b.t);
      const pairs = Math.min(sends.length, receipts.length);
      for (let i = 0; i < pairs; i++) {
        const id = `${lane}#${i}`;
        sends[i].message = id;
        receipts[i].message = id;
      }
    }
    return this.ipcEvents;
  }

  /** Gives each pool task its parent's submit time, and the submit's site when it has none. */
  private matchSubmits(): TaskRecord[] {
    this.tasks.forEach((task, index) => {
      const submitKey = this.taskSubmitKeys[index];
      const submit = submitKey !== null ? this.submits.get(submitKey) : undefined;
      if (!submit) return;
      task.submitMs = submit.t;
      task.site ??= submit.site;
    });
    return this.tasks;
  }
}

function waitKey(pid: number, tid: number, lock: string, requestMs: number): string {
  return `${pid}:${tid}:${lock}:${requestMs}`;
}

function holdKey(pid: number, tid: number, lock: string, acquiredMs: number): string {
  return `${pid}:${tid}:${lock}@${acquiredMs}`;
}
