// The threads of a process as tracks of a Chrome trace: one per thread, under its native id
// and named after it, holding a slice for its life and, inside it, a slice per stretch of
// samples in one state (running, waiting for a core, waiting). A sample covers the time since
// the thread's previous sample, or since it began.

import type { ProcessEntry, ThreadEntry, ThreadState } from '../../../shared/runRecord';

/** What chromeTrace.ts adds to its events: a thread's metadata or a slice on its track. */
export type ThreadTrackEvent =
  | { name: 'thread_name' | 'thread_sort_index'; ph: 'M'; pid: number; tid: number; args: Record<string, unknown> }
  | { name: string; cat: string; ph: 'X'; pid: number; tid: number; ts: number; dur: number; args: Record<string, unknown> };

const STATE_NAMES: Record<ThreadState, string> = {
  running: 'running',
  'waiting-for-gil': 'waiting for the GIL',
  'waiting-for-core': 'waiting for a core',
  waiting: 'waiting (blocked)',
  unknown: 'unknown',
};

/** The tracks of `process`'s threads, the first thread's first; `us` turns run ms into trace µs. */
export function threadTrackEvents(process: ProcessEntry, durationMs: number, us: (ms: number) => number): ThreadTrackEvent[] {
  const events: ThreadTrackEvent[] = [];
  (process.threads ?? []).forEach((thread, index) => {
    const { pid } = process;
    const { tid } = thread;
    const name = thread.python ? thread.name : `${thread.name} (not started by Python)`;
    events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: index } });
    const start = us(thread.startMs);
    const end = Math.max(us(thread.endMs ?? durationMs), start + 1);
    const args = { tid, python: thread.python, ...(thread.cpuMs !== null ? { cpuMs: thread.cpuMs } : {}) };
    events.push({ name, cat: 'thread', ph: 'X', pid, tid, ts: start, dur: end - start, args });
    for (const stretch of stateStretches(thread, us, start, end)) {
      events.push({ name: STATE_NAMES[stretch.state], cat: `thread-${stretch.state}`, ph: 'X', pid, tid, ts: stretch.start, dur: stretch.end - stretch.start, args: { cpu: stretch.meanCpu } });
    }
  });
  return events;
}

/** Neighbouring samples in one state, joined and kept within the thread's life [start, end] (µs). */
function stateStretches(thread: ThreadEntry, us: (ms: number) => number, start: number, end: number): Array<{ state: ThreadState; start: number; end: number; meanCpu: number }> {
  const stretches: Array<{ state: ThreadState; start: number; end: number; cpuUs: number }> = [];
  let from = start;
  for (const sample of thread.samples) {
    const to = Math.min(us(sample.t), end);
    if (to <= from) continue; // read before the tracer's start, or after its end
    const last = stretches[stretches.length - 1];
    const cpuUs = (sample.cpu / 100) * (to - from);
    if (last && last.state === sample.state && last.end === from) {
      last.end = to;
      last.cpuUs += cpuUs;
    } else {
      stretches.push({ state: sample.state, start: from, end: to, cpuUs });
    }
    from = to;
  }
  return stretches.map(({ state, start: from, end: to, cpuUs }) => ({ state, start: from, end: to, meanCpu: Math.round((cpuUs / (to - from)) * 1000) / 10 }));
}
