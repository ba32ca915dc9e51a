// The timeline's data, indexed for drawing: one lane per process (and, under a process with
// two or more threads, a lane per thread and, where they fought over the GIL, a stove row),
// its lock events and pool tasks in typed arrays sorted by start time, with a running maximum
// of end times so the first event reaching into a time range is a binary search away. Filters
// (the standard library's own locks and channels, a source line) and the folded thread lanes
// are applied here, once, not at every frame.

import { isPartOfSignal, lockLabels, signalOf, type SignalKind } from '../../shared/learnerNames';
import type { IpcEvent, LockEvent, LockInfo, ProcessEntry, RunRecord, SourceSite, ThreadEntry } from '../../shared/runRecord';
import { processesAsTree } from '../../shared/processHierarchy';
import { sharedOneStove } from '../../shared/threadShares';
import { LaneGeometry } from './layout';
import { stoveTurns, type StoveTurn } from './stoveTurns';
import { threadStateSpans, type ThreadStateSpans } from './threadStates';

/** Intervals sorted by start; `reachEnd[i]` is the latest end among intervals 0..i. */
export interface IntervalIndex {
  /** Index into the record's array (lockEvents or tasks). */
  source: Int32Array;
  starts: Float64Array;
  ends: Float64Array;
  reachEnd: Float64Array;
}

export interface LockIntervals extends IntervalIndex {
  /** When the lock was acquired; NaN when it never was (a failed or unfinished wait). */
  acquired: Float64Array;
  /** 1 where the event is a wait for a signal (an Event, a Barrier, a Condition's notify), not a lock cycle. */
  signal: Uint8Array;
}

/** A process's lane: its CPU, the lock events not drawn on one of its thread lanes, its pool tasks. */
export interface ProcessLane {
  kind: 'process';
  pid: number;
  label: string;
  process: ProcessEntry | null;
  locks: LockIntervals;
  tasks: IntervalIndex;
  /** How many threads the process had: with two or more it has thread lanes, shown unless folded. */
  threadCount: number;
  folded: boolean;
}

/** Who held a process's GIL, turn by turn: drawn above its thread lanes when they fought over it. */
export interface StoveLane {
  kind: 'stove';
  pid: number;
  label: string;
  process: ProcessEntry;
  turns: StoveTurn[];
  locks: LockIntervals;
}

/** A thread's lane: its state over time and the lock events it made. */
export interface ThreadLane {
  kind: 'thread';
  pid: number;
  label: string;
  process: ProcessEntry;
  thread: ThreadEntry;
  /** Its place in the process's threads: the stove row's turns name it by this. */
  threadIndex: number;
  /** True when a stove row above shows its turns (its label then carries its colour there). */
  onStove: boolean;
  states: ThreadStateSpans;
  locks: LockIntervals;
}

export type Lane = ProcessLane | StoveLane | ThreadLane;

/** A message drawn as an arrow from the sender's lane to the receiver's. */
export interface MessageArrow {
  from: IpcEvent;
  to: IpcEvent;
  fromLane: number;
  toLane: number;
}

export interface TimelineFilter {
  /** Show the standard library's own locks and channels (their cycles and message arrows). */
  showInternalLocks: boolean;
  line: { file: string; line: number } | null;
  /** Processes whose thread lanes are folded away (ViewState.foldedThreadPids). */
  foldedThreadPids?: readonly number[];
}

export interface TimelineModel {
  record: RunRecord;
  lanes: Lane[];
  /** Where each lane is drawn. */
  geometry: LaneGeometry;
  /** The process lane of each PID. */
  laneOfPid: Map<number, number>;
  arrows: MessageArrow[];
  locksById: Map<string, LockInfo>;
  /** Each lock as the learner's code names it (shared/learnerNames). */
  lockLabels: Map<string, string>;
  /** The signal each Event, Barrier or Condition wait waits for, by lock id. */
  signals: Map<string, SignalKind>;
  durationMs: number;
}

export function buildTimelineModel(record: RunRecord, filter: TimelineFilter): TimelineModel {
  const locksById = new Map(record.locks.map((lock) => [lock.id, lock]));
  const signals = new Map<string, SignalKind>();
  for (const lock of record.locks) {
    const signal = signalOf(lock);
    if (signal !== null) signals.set(lock.id, signal);
  }
  const folded = new Set(filter.foldedThreadPids ?? []);
  const gilEnabled = record.python.gilEnabled !== false;
  const lanes: Lane[] = [];
  const laneOfPid = new Map<number, number>();
  /** The thread lanes of each PID, by tid (a tid may come back as a new thread: several lanes). */
  const threadLanes = new Map<number, Map<number, number[]>>();
  const laneFor = (pid: number, process: ProcessEntry | null): number => {
    const known = laneOfPid.get(pid);
    if (known !== undefined) return known;
    const index = lanes.length;
    laneOfPid.set(pid, index);
    const label = process ? `${pid} ${process.name}` : String(pid);
    const threads = process?.threads ?? [];
    const foldedHere = folded.has(pid);
    lanes.push({ kind: 'process', pid, label, process, locks: emptyLockIntervals(), tasks: emptyIntervals(), threadCount: threads.length, folded: foldedHere });
    if (!process || threads.length < 2 || foldedHere) return index;
    const onStove = sharedOneStove(process, gilEnabled);
    if (onStove) lanes.push({ kind: 'stove', pid, label: 'the stove (GIL)', process, turns: stoveTurns(threads), locks: emptyLockIntervals() });
    const byTid = new Map<number, number[]>();
    threads.forEach((thread, threadIndex) => {
      byTid.set(thread.tid, [...(byTid.get(thread.tid) ?? []), lanes.length]);
      lanes.push({ kind: 'thread', pid, label: thread.name, process, thread, threadIndex, onStove, states: threadStateSpans(thread), locks: emptyLockIntervals() });
    });
    threadLanes.set(pid, byTid);
    return index;
  };
  for (const { process } of processesAsTree(record.processes)) laneFor(process.pid, process);
  // A lock event goes on the lane of the thread that made it when its process's threads are
  // shown, else on the process's lane.
  const laneOfLockEvent = (event: LockEvent): number => {
    const processLane = laneFor(event.pid, null);
    const candidates = event.tid === undefined ? undefined : threadLanes.get(event.pid)?.get(event.tid);
    if (!candidates) return processLane;
    const during = candidates.find((lane) => {
      const { thread } = lanes[lane] as ThreadLane;
      return event.requestMs >= thread.startMs && event.requestMs <= (thread.endMs ?? Number.POSITIVE_INFINITY);
    });
    return during ?? candidates[candidates.length - 1];
  };

  const duration = record.durationMs;
  const keepSite = (site: SourceSite | null): boolean => filter.line === null || (site !== null && site.line === filter.line.line && sameFile(site.file, filter.line.file));
  // The lock inside an Event is the Event's workings, never a lock of its own: records made
  // before the tracer stopped reporting it still list it (learnerNames.isPartOfSignal).
  const hiddenLocks = new Set(record.locks.filter((lock) => isPartOfSignal(lock) || (!filter.showInternalLocks && lock.internal)).map((lock) => lock.id));
  const keepLock = (event: LockEvent): boolean => !hiddenLocks.has(event.lock) && keepSite(event.site);
  const hiddenChannels = new Set(filter.showInternalLocks ? [] : record.channels.filter((channel) => channel.internal).map((channel) => channel.id));
  const keepMessage = (event: IpcEvent): boolean => !hiddenChannels.has(event.channel) && keepSite(event.site);

  const lockGroups = groupByLane(record.lockEvents, keepLock, laneOfLockEvent);
  for (const [lane, indices] of lockGroups) {
    lanes[lane].locks = lockIntervals(record.lockEvents, indices, duration, signals);
  }
  const taskGroups = groupByLane(record.tasks, (task) => keepSite(task.site), (task) => laneFor(task.pid, null));
  for (const [lane, indices] of taskGroups) {
    (lanes[lane] as ProcessLane).tasks = intervalIndex(indices, (i) => record.tasks[i].startMs, (i) => record.tasks[i].endMs);
  }
  const arrows = messageArrows(record.ipcEvents, keepMessage, (pid) => laneFor(pid, null));
  return {
    record, lanes, geometry: new LaneGeometry(lanes.map((lane) => lane.kind)), laneOfPid, arrows, locksById,
    lockLabels: lockLabels(record.locks), signals, durationMs: duration,
  };
}

/** Site files are absolute in a record; a source shown from elsewhere may differ in folder. */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const base = (file: string): string => file.split(/[\\/]/).pop() ?? file;
  return base(a) === base(b);
}

/** The wait of a lock event: from the request until acquired (or given up, or the run's end). */
export function waitOf(event: LockEvent, durationMs: number): number {
  return Math.max(0, (event.acquiredMs ?? event.releasedMs ?? durationMs) - event.requestMs);
}

/** The hold of a lock event: from acquired until released (or the run's end); 0 if never acquired. */
export function holdOf(event: LockEvent, durationMs: number): number {
  return event.acquiredMs === null ? 0 : Math.max(0, (event.releasedMs ?? durationMs) - event.acquiredMs);
}

/** The first position whose interval may reach `t` or later: intervals before it all ended before `t`. */
export function firstReaching(index: IntervalIndex, t: number): number {
  let low = 0;
  let high = index.reachEnd.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (index.reachEnd[middle] < t) low = middle + 1;
    else high = middle;
  }
  return low;
}

function groupByLane<T>(items: readonly T[], keep: (item: T) => boolean, lane: (item: T) => number): Map<number, Int32Array> {
  const counts = new Map<number, number>();
  const laneOfItem = new Int32Array(items.length).fill(-1);
  for (let i = 0; i < items.length; i++) {
    if (!keep(items[i])) continue;
    const at = lane(items[i]);
    laneOfItem[i] = at;
    counts.set(at, (counts.get(at) ?? 0) + 1);
  }
  const groups = new Map<number, Int32Array>();
  const filled = new Map<number, number>();
  for (const [at, count] of counts) {
    groups.set(at, new Int32Array(count));
    filled.set(at, 0);
  }
  for (let i = 0; i < items.length; i++) {
    const at = laneOfItem[i];
    if (at < 0) continue;
    const next = filled.get(at) ?? 0;
    (groups.get(at) as Int32Array)[next] = i;
    filled.set(at, next + 1);
  }
  return groups;
}

function lockIntervals(events: readonly LockEvent[], indices: Int32Array, durationMs: number, signals: ReadonlyMap<string, SignalKind>): LockIntervals {
  const index = intervalIndex(
    indices,
    (i) => events[i].requestMs,
    (i) => events[i].releasedMs ?? (events[i].acquiredMs === null ? events[i].requestMs + waitOf(events[i], durationMs) : durationMs),
  );
  const acquired = new Float64Array(index.source.length);
  const signal = new Uint8Array(index.source.length);
  for (let k = 0; k < acquired.length; k++) {
    const event = events[index.source[k]];
    acquired[k] = event.acquiredMs ?? Number.NaN;
    if (signals.size > 0 && signals.has(event.lock)) signal[k] = 1;
  }
  return { ...index, acquired, signal };
}

function intervalIndex(indices: Int32Array, start: (i: number) => number, end: (i: number) => number): IntervalIndex {
  // Tracer batches arrive in time order per process, so this is usually sorted already.
  let sorted = true;
  for (let k = 1; k < indices.length && sorted; k++) sorted = start(indices[k - 1]) <= start(indices[k]);
  const source = sorted ? indices : indices.slice().sort((a, b) => start(a) - start(b));
  const starts = new Float64Array(source.length);
  const ends = new Float64Array(source.length);
  const reachEnd = new Float64Array(source.length);
  let reach = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < source.length; k++) {
    starts[k] = start(source[k]);
    ends[k] = Math.max(starts[k], end(source[k]));
    reach = Math.max(reach, ends[k]);
    reachEnd[k] = reach;
  }
  return { source, starts, ends, reachEnd };
}

function emptyIntervals(): IntervalIndex {
  return { source: new Int32Array(0), starts: new Float64Array(0), ends: new Float64Array(0), reachEnd: new Float64Array(0) };
}

function emptyLockIntervals(): LockIntervals {
  return { ...emptyIntervals(), acquired: new Float64Array(0), signal: new Uint8Array(0) };
}

/** Arrows for the messages `keep` keeps on either side (a line filter keeps a message sent or received at the line). */
function messageArrows(events: readonly IpcEvent[], keep: (event: IpcEvent) => boolean, lane: (pid: number) => number): MessageArrow[] {
  const sends = new Map<string, IpcEvent>();
  const receipts = new Map<string, IpcEvent>();
  for (const event of events) {
    if (event.message === undefined) continue;
    (event.op === 'put' || event.op === 'send' ? sends : receipts).set(event.message, event);
  }
  const arrows: MessageArrow[] = [];
  for (const [message, from] of sends) {
    const to = receipts.get(message);
    if (!to || !(keep(from) || keep(to))) continue;
    arrows.push({ from, to, fromLane: lane(from.pid), toLane: lane(to.pid) });
  }
  return arrows.sort((a, b) => a.from.t - b.from.t);
}
