// A run's lock events as the host keeps them: one typed array per field instead of one
// object per event. A run may report a million lock cycles, and as objects they took about
// 140 MB of heap (seven fields, three of them boxed times); as columns they take 48 bytes
// each. An event becomes an object only when something reads it (a file writer, the
// summary, a view), one at a time, and is garbage once that reader moves on.
//
// Rows live in chunks of a fixed size, added as the run grows: a small run costs one chunk,
// and growing never copies what is there (doubling one array would briefly hold both).
// Lock ids and source sites repeat across events, so each column holds an index into a
// table of them.

import type { LockEvent, LockEventList, SourceSite } from '../../../shared/runRecord';

/** An event as the tracer reports it: its thread is always known. */
export type TracedLockEvent = LockEvent & { tid: number };

const CHUNK_BITS = 14;
/** 16,384 rows: about 770 KB a chunk. */
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;

/** In `site`: the event has no site. In `releasedBy`: released by the process that acquired it (pids are never 0). */
const NONE = -1;
const SAME_PROCESS = 0;

/**
 * The columns of CHUNK_ROWS events. A null time is NaN (the tracer's times are always
 * numbers). Pids are unsigned 32-bit on every platform; a thread's native id is 64-bit on
 * macOS, so it is kept as a double (exact up to 2^53).
 */
class Chunk {
  readonly lock = new Uint32Array(CHUNK_ROWS);
  readonly pid = new Uint32Array(CHUNK_ROWS);
  readonly tid = new Float64Array(CHUNK_ROWS);
  readonly requestMs = new Float64Array(CHUNK_ROWS);
  readonly acquiredMs = new Float64Array(CHUNK_ROWS);
  readonly releasedMs = new Float64Array(CHUNK_ROWS);
  readonly releasedBy = new Uint32Array(CHUNK_ROWS);
  readonly site = new Int32Array(CHUNK_ROWS);
}

export class LockEventColumns implements LockEventList {
  private readonly chunks: Chunk[] = [];
  private readonly lockIds: string[] = [];
  private readonly lockIndex = new Map<string, number>();
  /**
   * Sites are interned by identity: the tracer's site table gives one object per site, and
   * the events made from these columns share it, as they did when they were objects.
   */
  private readonly sites: SourceSite[] = [];
  private readonly siteIndex = new Map<SourceSite, number>();
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Adds an event at the end; returns its index. */
  push(event: TracedLockEvent): number {
    const index = this.count;
    if ((index & ROW_MASK) === 0) this.chunks.push(new Chunk());
    this.count++;
    this.set(index, event);
    return index;
  }

  /** Replaces the event at `index` (a cycle in progress by its complete version). */
  set(index: number, event: TracedLockEvent): void {
    const chunk = this.chunkOf(index);
    const row = index & ROW_MASK;
    chunk.lock[row] = this.internLock(event.lock);
    chunk.pid[row] = event.pid;
    chunk.tid[row] = event.tid;
    chunk.requestMs[row] = event.requestMs;
    chunk.acquiredMs[row] = event.acquiredMs ?? NaN;
    chunk.releasedMs[row] = event.releasedMs ?? NaN;
    chunk.releasedBy[row] = event.releasedBy ?? SAME_PROCESS;
    chunk.site[row] = event.site === null ? NONE : this.internSite(event.site);
  }

  /** The event at `index` as a new object, with the fields in the order the record file has always had. */
  get(index: number): TracedLockEvent {
    const chunk = this.chunkOf(index);
    const row = index & ROW_MASK;
    const site = chunk.site[row];
    const event: TracedLockEvent = {
      lock: this.lockIds[chunk.lock[row]],
      pid: chunk.pid[row],
      tid: chunk.tid[row],
      requestMs: chunk.requestMs[row],
      acquiredMs: nullIfNaN(chunk.acquiredMs[row]),
      releasedMs: nullIfNaN(chunk.releasedMs[row]),
      site: site === NONE ? null : this.sites[site],
    };
    if (chunk.releasedBy[row] !== SAME_PROCESS) event.releasedBy = chunk.releasedBy[row];
    return event;
  }

  // Single fields, for joins that look at every event and need not make an object of each.

  lockOf(index: number): string {
    return this.lockIds[this.chunkOf(index).lock[index & ROW_MASK]];
  }

  acquiredMsOf(index: number): number | null {
    return nullIfNaN(this.chunkOf(index).acquiredMs[index & ROW_MASK]);
  }

  releasedMsOf(index: number): number | null {
    return nullIfNaN(this.chunkOf(index).releasedMs[index & ROW_MASK]);
  }

  /** Closes the cycle at `index`: released at `releasedMs` by process `releasingPid`. */
  release(index: number, releasedMs: number, releasingPid: number): void {
    const chunk = this.chunkOf(index);
    const row = index & ROW_MASK;
    chunk.releasedMs[row] = releasedMs;
    // The record names the releasing process only when it is not the one that acquired.
    chunk.releasedBy[row] = releasingPid === chunk.pid[row] ? SAME_PROCESS : releasingPid;
  }

  *[Symbol.iterator](): Iterator<TracedLockEvent> {
    for (let index = 0; index < this.count; index++) yield this.get(index);
  }

  /**
   * What JSON.stringify writes: the file format's array of objects, all made at once. The
   * record writer (writeJsonFile) streams the events instead; this keeps any other
   * serialisation of a record (a message to the webview, say) right.
   */
  toJSON(): TracedLockEvent[] {
    return Array.from(this);
  }

  private chunkOf(index: number): Chunk {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`No lock event ${index}: there are ${this.count}.`);
    return this.chunks[index >>> CHUNK_BITS];
  }

  private internLock(id: string): number {
    let index = this.lockIndex.get(id);
    if (index === undefined) {
      index = this.lockIds.push(id) - 1;
      this.lockIndex.set(id, index);
    }
    return index;
  }

  private internSite(site: SourceSite): number {
    let index = this.siteIndex.get(site);
    if (index === undefined) {
      index = this.sites.push(site) - 1;
      this.siteIndex.set(site, index);
    }
    return index;
  }
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
