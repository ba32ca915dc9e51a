// The threads of one process in the run record, merged from its two sources:
// - the tracer: each Python thread's native id, name, exact start and end, and its CPU time
//   at the end (the thread the process began with comes with its process-start);
// - the sampler (Linux): each thread's CPU %, state and time spent per sample, and the
//   kernel's name for threads Python did not start; while its process is read fast
//   (stoveWatch.ts), each thread's samples come from the fast reader, every few ms, with the
//   time it waited for the GIL.
// A thread is one entry from its start to its end; a tid the sampler reads with another start
// time, or that the tracer reports starting again after its thread ended, is a new thread.
// Bounded like the process table: past a cap, threads or samples are left out and the
// record says it was truncated. Like the record builder, it notes what a live view has yet
// to get (drainChanges).

import type { LiveDelta, ThreadFacts } from '../../../shared/liveDeltas';
import type { ThreadEntry, ThreadSample } from '../../../shared/runRecord';
import type { StoveThreadSample } from '../sampling/linux/stoveSampler';
import type { ObservedThread } from '../sampling/processReading';

export interface ThreadCaps {
  threadsPerProcess: number;
  /** Samples of the sampler's ticks. */
  samplesPerThread: number;
  /** Fast samples (the fast reader's), apart. */
  fastSamplesPerThread: number;
}

/**
 * How long after a thread's reported end the sampler may still read it: the tracer reports
 * the end just before the thread leaves Python, and a tick dates its readings from before it
 * read any process. A tid is reused within one process only after the kernel has handed out
 * every other id, which takes far longer.
 */
const LAST_READ_AFTER_END_MS = 1000;

/**
 * How a thread's end is known: from the tracer (its own end, the last word), seen gone (the
 * sampler no longer lists it, or its tid was taken again: the tracer's end, when it comes, is
 * closer), or from its process's end (no word of its own: it follows a corrected process end).
 */
type EndSource = 'tracer' | 'gone' | 'process';

interface LiveThread {
  entry: ThreadEntry;
  /** Its place in the process's threads. */
  index: number;
  /** The sampler's tid + start-time key, once the sampler has read it. */
  samplerKey: string | null;
  endSource: EndSource | null;
  /** How many of its samples a live view has. */
  samplesSent: number;
  /** How many of its samples are fast ones. */
  fastSamples: number;
}

export class ThreadTable {
  /** The record's list: the process entry holds this very array. */
  readonly entries: ThreadEntry[] = [];
  /** True once a cap left a thread or a sample out. */
  truncated = false;
  private readonly threads: LiveThread[] = [];
  /** The newest thread of each tid. */
  private readonly byTid = new Map<number, LiveThread>();
  private readonly changed = new Set<LiveThread>();
  private readonly sampled = new Set<LiveThread>();

  constructor(private readonly caps: ThreadCaps) {}

  /** The thread the process began with, from its process-start: it began with the process. */
  first(tid: number, name: string, processStartMs: number): void {
    const known = this.byTid.get(tid);
    if (known && known.entry.endMs === null) {
      // The sampler read it first, or the process exec'd a new interpreter on this thread.
      this.change(known, { name, python: true, startMs: processStartMs });
    } else {
      this.create({ tid, name, python: true, startMs: processStartMs });
    }
  }

  /** A Python thread began (the tracer's thread-batch start). */
  started(tid: number, name: string, startMs: number): void {
    const known = this.byTid.get(tid);
    if (known && !known.entry.python && (known.entry.endMs === null || known.entry.endMs >= startMs)) {
      // The sampler read it before the tracer's word arrived: the tracer knows it better (a
      // tick is dated from before its reads, so the sampler's start can be early).
      this.change(known, { name, python: true, startMs });
      return;
    }
    // A Python thread still open under this tid has ended unseen: its tid is taken again.
    if (known && known.entry.endMs === null) this.end(known, startMs, 'gone');
    this.create({ tid, name, python: true, startMs });
  }

  /** A Python thread ended, with its last name and its own CPU time (the tracer's thread-batch end). */
  ended(tid: number, name: string, startMs: number, endMs: number, cpuMs: number | null): void {
    let known = this.byTid.get(tid);
    if (!known || known.endSource === 'tracer') {
      // Its start never arrived (or this is another thread under a reused tid).
      known = this.create({ tid, name, python: true, startMs });
      if (!known) return;
    }
    const startedMs = known.entry.python ? known.entry.startMs : startMs;
    this.change(known, { name, python: true, startMs: startedMs, ...(cpuMs !== null ? { cpuMs } : {}) });
    this.end(known, endMs, 'tracer');
  }

  /**
   * What the sampler read of the process's threads at `t` (Linux, when it read them).
   * `withSamples` false: the threads are read fast (addFastSamples), and this reading only
   * says which threads there are, and their CPU time so far.
   */
  observe(t: number, observed: readonly ObservedThread[], withSamples = true): void {
    const seen = new Set<LiveThread>();
    for (const thread of observed) {
      let live = this.byTid.get(thread.tid);
      if (!live || !this.isSame(live, thread, t)) {
        // The thread under this tid before has ended: its tid was taken again.
        if (live && live.entry.endMs === null) this.end(live, t, 'gone');
        live = this.create({ tid: thread.tid, name: thread.name, python: false, startMs: t });
        if (!live) continue;
      }
      live.samplerKey = thread.key;
      seen.add(live);
      if (withSamples) {
        const { cpu, state, ranMs, coreWaitMs, waitingMs } = thread;
        this.pushSample(live, { t, cpu, state, ranMs: toMicros(ranMs), coreWaitMs: toMicros(coreWaitMs), waitingMs: toMicros(waitingMs) });
      }
      // Until it ends: then the tracer's figure, taken at its end, is the last word.
      if (live.entry.endMs === null && live.entry.cpuMs !== thread.cpuTimeMs) this.change(live, { cpuMs: thread.cpuTimeMs });
    }
    // A thread the sampler read before and no longer lists has ended; a Python thread's own
    // end, when it comes, is closer. (An empty reading says nothing: the process has gone, and
    // its end closes its threads.)
    if (observed.length === 0) return;
    for (const live of this.byTid.values()) {
      if (!seen.has(live) && live.samplerKey !== null && live.entry.endMs === null) this.end(live, t, 'gone');
    }
  }

  /**
   * The fast reader's samples of the process's threads. A thread not known yet (neither the
   * tracer nor a tick has told of it: it began a moment ago) gets its samples from the next
   * reading after a tick made it known.
   */
  addFastSamples(samples: readonly StoveThreadSample[]): void {
    for (const { tid, t, cpu, state, split } of samples) {
      const live = this.byTid.get(tid);
      if (!live || (live.entry.endMs !== null && t > live.entry.endMs + LAST_READ_AFTER_END_MS)) continue;
      this.pushFastSample(live, {
        t,
        cpu,
        state,
        ranMs: toMicros(split.ranNs / 1e6),
        coreWaitMs: toMicros(split.coreWaitNs / 1e6),
        gilWaitMs: toMicros(split.gilWaitNs / 1e6),
        waitingMs: toMicros(split.waitingNs / 1e6),
      });
    }
  }

  /**
   * The process ended at `endMs` (or its end was corrected): threads that did not report
   * their own end ended with it.
   */
  closeWithProcess(endMs: number): void {
    for (const live of this.threads) {
      if (live.entry.endMs === null || (live.endSource === 'process' && live.entry.endMs !== endMs)) this.end(live, endMs, 'process');
    }
  }

  /** What changed since the last call, as deltas for process `processIndex`: facts first, then samples. */
  drainChanges(processIndex: number, deltas: LiveDelta[]): void {
    for (const live of this.changed) deltas.push({ kind: 'thread', index: processIndex, thread: factsOf(live) });
    for (const live of this.sampled) {
      deltas.push({ kind: 'thread-samples', index: processIndex, thread: live.index, samples: live.entry.samples.slice(live.samplesSent) });
      live.samplesSent = live.entry.samples.length;
    }
    this.changed.clear();
    this.sampled.clear();
  }

  /** Whether a reading is of this thread: the same start time, or the first reading of a thread the tracer reported. */
  private isSame(live: LiveThread, thread: ObservedThread, t: number): boolean {
    if (live.samplerKey !== null) return live.samplerKey === thread.key;
    return live.entry.endMs === null || t <= live.entry.endMs + LAST_READ_AFTER_END_MS;
  }

  private create(init: Pick<ThreadEntry, 'tid' | 'name' | 'python' | 'startMs'>): LiveThread | undefined {
    if (this.threads.length >= this.caps.threadsPerProcess) {
      this.truncated = true;
      return undefined;
    }
    const entry: ThreadEntry = { ...init, endMs: null, cpuMs: null, samples: [] };
    const live: LiveThread = { entry, index: this.threads.length, samplerKey: null, endSource: null, samplesSent: 0, fastSamples: 0 };
    this.threads.push(live);
    this.entries.push(entry);
    this.byTid.set(init.tid, live);
    this.changed.add(live);
    return live;
  }

  private end(live: LiveThread, endMs: number, source: EndSource): void {
    live.endSource = source;
    this.change(live, { endMs });
  }

  /** Every change to a thread's facts goes through here, so that a live view hears of it. */
  private change(live: LiveThread, facts: Partial<Omit<ThreadEntry, 'tid' | 'samples'>>): void {
    Object.assign(live.entry, facts);
    this.changed.add(live);
  }

  private pushSample(live: LiveThread, sample: ThreadSample): void {
    if (live.entry.samples.length - live.fastSamples < this.caps.samplesPerThread) {
      live.entry.samples.push(sample);
      this.sampled.add(live);
    } else {
      this.truncated = true;
    }
  }

  private pushFastSample(live: LiveThread, sample: ThreadSample): void {
    if (live.fastSamples < this.caps.fastSamplesPerThread) {
      live.entry.samples.push(sample);
      live.fastSamples++;
      this.sampled.add(live);
    } else {
      this.truncated = true;
    }
  }
}

/** ms kept to the µs: finer digits would only lengthen the record. */
function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** A thread's facts as a live view gets them: without its samples, which go separately. */
function factsOf(live: LiveThread): ThreadFacts {
  const facts: ThreadFacts & Partial<ThreadEntry> = { ...live.entry, index: live.index };
  delete facts.samples;
  return facts;
}
