// Builds the activity part of a run record (locks, lock events, channels, messages, pool
// tasks) from the tracer's records.
//
// Each process reports only what it saw; the pieces are joined here, as they arrive, so that
// a live view (drainChanges) shows the joins while the run goes:
// - a cycle still in progress (`lock-open`) is shown until its complete cycle replaces it,
//   so a deadlocked run still shows who waited and who held;
// - a lock acquired in one process and released in another arrives as a cycle without a
//   release plus a `lock-release` from the other process, paired in time order at each
//   drain (and at the end), among the cycles and releases known by then;
// - a message is paired with the one that received it (FIFO per channel and direction);
// - a pool task is matched with the parent's submit time;
// - a pool task a worker took and never finished (it died running it) joins the tasks once the
//   worker's end is known and its records are all read, or at the end of the run, ok false,
//   with a warning (unfinishedTasks.ts);
// - a lock switched to counts gets the counts of all its processes added up.
// A row changed after it was made is noted (rowChanges.ts) and sent again in full.
// Everything is bounded: past a cap, events are counted as dropped and the record says
// `truncated`. Lock events, the most numerous, are kept as columns (lockEventColumns.ts).

import type { LiveDelta } from '../../../shared/liveDeltas';
import type {
  ChannelInfo,
  IpcEvent,
  LockAggregate,
  LockInfo,
  SourceSite,
  TaskRecord,
} from '../../../shared/runRecord';
import { LockEventColumns, type TracedLockEvent } from './lockEventColumns';
import { RowChanges } from './rowChanges';
import { UnfinishedTasks, type ClosedTasks, type RunEnd, type Workers } from './unfinishedTasks';
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
  {
    type: 'site' | 'lock-new' | 'lock-batch' | 'lock-release' | 'lock-open' | 'lock-stats' | 'channel-new' | 'ipc-batch' | 'task-batch' | 'task-submit' | 'task-start';
  }
>;

const ACTIVITY_TYPES = new Set<string>([
  'site', 'lock-new', 'lock-batch', 'lock-release', 'lock-open', 'lock-stats', 'channel-new', 'ipc-batch', 'task-batch', 'task-submit', 'task-start',
]);

export function isActivityRecord(record: TracerRecord): record is ActivityRecord {
  return ACTIVITY_TYPES.has(record.type);
}

interface PendingRelease {
  pid: number;
  t: number;
}

type LockStats = Extract<TracerRecord, { type: 'lock-stats' }>;

/** One direction of one channel: its sends and its receipts, each in time order (indices into the messages). */
interface MessageLane {
  id: string;
  sends: number[];
  receipts: number[];
  /** The first position, in either list, whose pairing may have changed since the lane was last paired. */
  pairFrom: number;
  /** Pairs as of the last pairing, and messages filed since: beyond both, no message has an id to take back. */
  paired: number;
  filed: number;
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
  /** Locks known only from their counts (`lock-stats` before any `lock-new`): a `lock-new` still says what they are. */
  private readonly locksKnownByStats = new Set<string>();
  private readonly lockEvents = new LockEventColumns();
  /** In-progress cycles shown from `lock-open`, by "pid:tid:lock:requestMs" (waits) or "pid:tid:lock@acquiredMs" (holds). */
  private readonly openCycles = new Map<string, number>();
  /** By lock: cycles acquired and, as far as is known, not released; some may since have been replaced by a released version. */
  private readonly unreleased = new Map<string, Set<number>>();
  /** By lock, in arrival order: releases by another process that no cycle has taken yet. */
  private readonly pendingReleases = new Map<string, PendingRelease[]>();
  /** Locks with a release waiting and something new (a release or a cycle) since they were last paired. */
  private readonly locksToPair = new Set<string>();
  /** By lock, then pid (in first-report order, which the sums keep): each process's latest counts. */
  private readonly lockStats = new Map<string, Map<number, LockStats>>();
  private readonly channels = new Map<string, ChannelInfo>();
  // Messages and tasks are the record's own objects, joined in place.
  private readonly ipcEvents: IpcEvent[] = [];
  private readonly lanes = new Map<string, MessageLane>();
  private readonly lanesToPair = new Set<MessageLane>();
  private readonly tasks: TaskRecord[] = [];
  private readonly submits = new Map<string, { t: number; site: SourceSite | null }>();
  /** Tasks whose parent's submit has not arrived yet, by submit key (a key names one pool job's item). */
  private readonly tasksAwaitingSubmit = new Map<string, number[]>();
  /** Tasks a worker took and has not reported finished (unfinishedTasks.ts). */
  private readonly unfinishedTasks = new UnfinishedTasks();
  // What a live view has yet to get.
  private readonly changedLocks = new Set<string>();
  private readonly changedChannels = new Set<string>();
  private readonly lockEventRows = new RowChanges();
  private readonly ipcEventRows = new RowChanges();
  private readonly taskRows = new RowChanges();
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
        if (!known || this.locksKnownByStats.delete(record.lock)) {
          const lock: LockInfo = { id: record.lock, kind: record.kind, api: record.api, internal: record.internal, site };
          if (record.name !== undefined) lock.name = record.name;
          if (known?.aggregated) lock.aggregated = known.aggregated;
          this.locks.set(record.lock, lock);
          this.changedLocks.add(record.lock);
        } else {
          if (!known.site && site) {
            known.site = site;
            this.changedLocks.add(record.lock);
          }
          if (known.name === undefined && record.name !== undefined) {
            known.name = record.name;
            this.changedLocks.add(record.lock);
          }
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
            this.keepPairedRelease(replaces, event);
            this.setLockEvent(replaces, event);
            this.openCycles.delete(waitKey(record.pid, tid, lock, requestMs));
            if (acquiredMs !== null) this.openCycles.delete(holdKey(record.pid, tid, lock, acquiredMs));
          } else {
            this.pushLockEvent(event);
          }
        }
        break;
      case 'lock-release':
        for (const [, lock, t] of record.events) this.holdRelease(lock, { pid: record.pid, t });
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
        this.applyStats(record);
        break;
      case 'channel-new': {
        const known = this.channels.get(record.channel);
        const site = this.sites.get(record.pid, record.site);
        if (!known) {
          const channel: ChannelInfo = { id: record.channel, kind: record.kind, api: record.api, internal: record.internal, site };
          if (record.name !== undefined) channel.name = record.name;
          this.channels.set(record.channel, channel);
          this.changedChannels.add(record.channel);
        } else {
          if (!known.site && site) {
            known.site = site;
            this.changedChannels.add(record.channel);
          }
          if (known.name === undefined && record.name !== undefined) {
            known.name = record.name;
            this.changedChannels.add(record.channel);
          }
        }
        break;
      }
      case 'ipc-batch':
        for (const tuple of record.events) {
          if (this.ipcEvents.length >= this.caps.ipcEvents) {
            this.truncated = true;
            break;
          }
          const event = ipcEventOf(record.pid, tuple, this.sites);
          this.placeInLane(this.ipcEvents.push(event) - 1, event, tuple[2]);
        }
        break;
      case 'task-batch':
        for (const tuple of record.events) {
          this.unfinishedTasks.end(record.pid, tuple[3], tuple[7]);
          this.pushTask(taskOf(record.pid, tuple, this.sites), tuple[7]);
        }
        break;
      case 'task-start':
        for (const tuple of record.events) this.unfinishedTasks.start(record.pid, tuple);
        break;
      case 'task-submit':
        for (const [key, t, siteId] of record.events) {
          const submit = { t, site: this.sites.get(record.pid, siteId) };
          this.submits.set(key, submit);
          for (const index of this.tasksAwaitingSubmit.get(key) ?? []) this.giveSubmit(index, submit);
          this.tasksAwaitingSubmit.delete(key);
        }
        break;
    }
  }

  /**
   * While the run goes: the tasks that workers known to have ended took and never finished
   * join the tasks, ok false; returns a warning for each.
   */
  closeEndedWorkersTasks(workers: Workers): string[] {
    return this.pushClosed(this.unfinishedTasks.closeEnded(workers));
  }

  /**
   * At the end of the run, once every worker's records are in: the tasks a worker took and
   * never finished join the tasks, ok false; returns a warning for each.
   */
  closeUnfinishedTasks(workers: Workers, run: RunEnd): string[] {
    return this.pushClosed(this.unfinishedTasks.close(workers, run));
  }

  private pushClosed(closed: ClosedTasks): string[] {
    for (const { task, submitKey } of closed.tasks) this.pushTask(task, submitKey);
    return closed.warnings;
  }

  /** The activity joined so far; safe to call again as more records arrive. */
  finish(): Activity {
    this.join();
    return {
      locks: [...this.locks.values()],
      lockEvents: this.lockEvents,
      channels: [...this.channels.values()],
      ipcEvents: this.ipcEvents,
      tasks: this.tasks,
      aggregatedLocks: [...this.lockStats.keys()].map((id) => this.locks.get(id)).filter((lock): lock is LockInfo => lock !== undefined),
    };
  }

  /** Adds to `deltas` what changed since the previous call: new and amended locks, channels and rows. */
  drainChanges(deltas: LiveDelta[]): void {
    this.join();
    if (this.changedLocks.size > 0) deltas.push({ kind: 'locks', locks: [...this.changedLocks].map((id) => this.locks.get(id)!) });
    for (const [from, to] of this.lockEventRows.drain(this.lockEvents.length)) {
      const events = [];
      for (let index = from; index < to; index++) events.push(this.lockEvents.get(index));
      deltas.push({ kind: 'lock-events', from, events });
    }
    if (this.changedChannels.size > 0) deltas.push({ kind: 'channels', channels: [...this.changedChannels].map((id) => this.channels.get(id)!) });
    for (const [from, to] of this.ipcEventRows.drain(this.ipcEvents.length)) deltas.push({ kind: 'ipc-events', from, events: this.ipcEvents.slice(from, to) });
    for (const [from, to] of this.taskRows.drain(this.tasks.length)) deltas.push({ kind: 'tasks', from, tasks: this.tasks.slice(from, to) });
    this.changedLocks.clear();
    this.changedChannels.clear();
  }

  /** The joins that wait for a batch of arrivals rather than run on each: releases and messages. */
  private join(): void {
    for (const lock of this.locksToPair) this.pairCrossProcessReleases(lock);
    this.locksToPair.clear();
    for (const lane of this.lanesToPair) this.pairMessages(lane);
    this.lanesToPair.clear();
  }

  private pushLockEvent(event: TracedLockEvent): number | undefined {
    if (this.lockEvents.length >= this.caps.lockEvents) {
      this.truncated = true;
      return undefined;
    }
    const index = this.lockEvents.push(event);
    this.noteIfUnreleased(index, event);
    return index;
  }

  private setLockEvent(index: number, event: TracedLockEvent): void {
    this.lockEvents.set(index, event);
    this.lockEventRows.noteChanged(index);
    this.noteIfUnreleased(index, event);
  }

  /** A cycle acquired and not released here may have been released by another process. */
  private noteIfUnreleased(index: number, event: TracedLockEvent): void {
    if (event.acquiredMs === null || event.releasedMs !== null) return;
    const cycles = this.unreleased.get(event.lock);
    if (cycles) cycles.add(index);
    else this.unreleased.set(event.lock, new Set([index]));
    if (this.pendingReleases.has(event.lock)) this.locksToPair.add(event.lock);
  }

  private holdRelease(lock: string, release: PendingRelease): void {
    const pending = this.pendingReleases.get(lock);
    if (pending) pending.push(release);
    else this.pendingReleases.set(lock, [release]);
    this.locksToPair.add(lock);
  }

  /**
   * An in-progress hold (from `lock-open`, which never carries a release) that a release by
   * another process closed meanwhile: its complete cycle, which cannot know that release,
   * keeps it; or, if its own process released it after all, the release goes back to wait
   * for another cycle.
   */
  private keepPairedRelease(index: number, event: TracedLockEvent): void {
    if (this.lockEvents.releasedMsOf(index) === null) return;
    const paired = this.lockEvents.get(index);
    if (event.releasedMs === null) {
      event.releasedMs = paired.releasedMs;
      if (paired.releasedBy !== undefined) event.releasedBy = paired.releasedBy;
    } else {
      this.holdRelease(event.lock, { pid: paired.releasedBy ?? paired.pid, t: paired.releasedMs! });
    }
  }

  private showOpen(key: string, event: TracedLockEvent): void {
    const index = this.openCycles.get(key);
    if (index !== undefined) {
      this.setLockEvent(index, event);
      return;
    }
    const added = this.pushLockEvent(event);
    if (added !== undefined) this.openCycles.set(key, added);
  }

  /** Each release by another process closes the earliest unreleased cycle of that lock acquired before it. */
  private pairCrossProcessReleases(lock: string): void {
    const releases = this.pendingReleases.get(lock);
    if (!releases) return;
    const events = this.lockEvents;
    const cycles = this.unreleased.get(lock) ?? new Set<number>();
    // Replaced since by a released version: no longer waiting for a release.
    for (const index of cycles) if (events.releasedMsOf(index) !== null || events.acquiredMsOf(index) === null) cycles.delete(index);
    // Earliest acquire first; the earlier-made row first among equals.
    const candidates = [...cycles].sort((a, b) => events.acquiredMsOf(a)! - events.acquiredMsOf(b)! || a - b);
    // A release whose acquire has not arrived yet (the run is still going) waits for a later call.
    const unpaired: PendingRelease[] = [];
    for (const release of [...releases].sort((a, b) => a.t - b.t)) {
      const at = candidates.findIndex((index) => events.acquiredMsOf(index)! <= release.t);
      if (at < 0) {
        unpaired.push(release);
        continue;
      }
      const [index] = candidates.splice(at, 1);
      events.release(index, release.t, release.pid);
      this.lockEventRows.noteChanged(index);
      cycles.delete(index);
    }
    if (unpaired.length > 0) this.pendingReleases.set(lock, unpaired);
    else this.pendingReleases.delete(lock);
  }

  /** A process's latest counts of a lock it switched to counts; the lock shows all processes' added up. */
  private applyStats(stats: LockStats): void {
    let byPid = this.lockStats.get(stats.lock);
    if (!byPid) this.lockStats.set(stats.lock, (byPid = new Map<number, LockStats>()));
    byPid.set(stats.pid, stats);
    let total: LockAggregate | undefined;
    for (const each of byPid.values()) {
      if (!total) {
        total = {
          sinceMs: each.sinceMs, acquisitions: each.acquisitions, totalWaitMs: each.totalWaitMs, maxWaitMs: each.maxWaitMs,
          totalHoldMs: each.totalHoldMs, waitHistogram: [...each.waitHistogram], holdHistogram: [...each.holdHistogram], bucketsMs: each.bucketsMs,
        };
        continue;
      }
      const sum = total;
      sum.sinceMs = Math.min(sum.sinceMs, each.sinceMs);
      sum.acquisitions += each.acquisitions;
      sum.totalWaitMs += each.totalWaitMs;
      sum.maxWaitMs = Math.max(sum.maxWaitMs, each.maxWaitMs);
      sum.totalHoldMs += each.totalHoldMs;
      each.waitHistogram.forEach((count, i) => (sum.waitHistogram[i] = (sum.waitHistogram[i] ?? 0) + count));
      each.holdHistogram.forEach((count, i) => (sum.holdHistogram[i] = (sum.holdHistogram[i] ?? 0) + count));
    }
    let lock = this.locks.get(stats.lock);
    if (!lock) {
      lock = { id: stats.lock, kind: 'Lock', api: 'Lock', internal: false, site: null };
      this.locks.set(stats.lock, lock);
      this.locksKnownByStats.add(stats.lock);
    }
    lock.aggregated = total;
    this.changedLocks.add(stats.lock);
  }

  /** Files a message in its lane, after those of its lane sent (or received) no later. */
  private placeInLane(index: number, event: IpcEvent, endpoint: number): void {
    const sending = event.op === 'put' || event.op === 'send';
    // A pipe's send on one end arrives at the other; a queue has one direction.
    const id = event.kind === 'pipe' ? `${event.channel}>${sending ? 1 - endpoint : endpoint}` : event.channel;
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { id, sends: [], receipts: [], pairFrom: 0, paired: 0, filed: 0 }));
    const list = sending ? lane.sends : lane.receipts;
    // Messages arrive in nearly their time order: the place is found from the end.
    let at = list.length;
    while (at > 0 && this.ipcEvents[list[at - 1]].t > event.t) at--;
    list.splice(at, 0, index);
    lane.pairFrom = Math.min(lane.pairFrom, at);
    lane.filed++;
    this.lanesToPair.add(lane);
  }

  /** Gives each message an id shared by its send and its receipt: the n-th send of a lane pairs with its n-th receipt. */
  private pairMessages(lane: MessageLane): void {
    const pairs = Math.min(lane.sends.length, lane.receipts.length);
    // A lane with many messages never received (the other side untraced) is not walked again each time.
    const end = Math.max(pairs, lane.paired + lane.filed);
    for (const list of [lane.sends, lane.receipts]) {
      for (let at = lane.pairFrom; at < Math.min(end, list.length); at++) {
        const index = list[at];
        const event = this.ipcEvents[index];
        const message = at < pairs ? `${lane.id}#${at}` : undefined;
        if (event.message === message) continue;
        // A message that an earlier-sent one displaced has no receipt (yet).
        if (message === undefined) delete event.message;
        else event.message = message;
        this.ipcEventRows.noteChanged(index);
      }
    }
    lane.pairFrom = pairs;
    lane.paired = pairs;
    lane.filed = 0;
  }

  /** A task joins the record, with its parent's submit if that has arrived (else when it does). */
  private pushTask(task: TaskRecord, submitKey: string | null): void {
    if (this.tasks.length >= this.caps.tasks) {
      this.truncated = true;
      return;
    }
    const index = this.tasks.push(task) - 1;
    if (submitKey === null) return;
    const submit = this.submits.get(submitKey);
    const awaiting = this.tasksAwaitingSubmit.get(submitKey);
    if (submit) this.giveSubmit(index, submit);
    else if (awaiting) awaiting.push(index);
    else this.tasksAwaitingSubmit.set(submitKey, [index]);
  }

  /** Gives a pool task its parent's submit time, and the submit's site when it has none. */
  private giveSubmit(index: number, submit: { t: number; site: SourceSite | null }): void {
    const task = this.tasks[index];
    task.submitMs = submit.t;
    task.site ??= submit.site;
    this.taskRows.noteChanged(index);
  }
}

function waitKey(pid: number, tid: number, lock: string, requestMs: number): string {
  return `${pid}:${tid}:${lock}:${requestMs}`;
}

function holdKey(pid: number, tid: number, lock: string, acquiredMs: number): string {
  return `${pid}:${tid}:${lock}@${acquiredMs}`;
}
