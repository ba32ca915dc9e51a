// Cuts a finished record into the delta batches a host would have sent while it ran, one
// batch per `batchMs` of run time: processes when they start and again when they end,
// samples, core samples, lock events once complete, output and the final state at the end.

import type { LiveDelta, LiveRunStart } from '../../src/shared/liveDeltas';
import type { RunRecord } from '../../src/shared/runRecord';

export function liveRunStart(record: RunRecord): LiveRunStart {
  return { file: record.file, argv: record.argv, python: record.python, cores: record.cores, startedAt: record.startedAt };
}

export function deltaBatches(record: RunRecord, batchMs: number): LiveDelta[][] {
  const batches: LiveDelta[][] = [];
  const batchCount = Math.ceil(record.durationMs / batchMs);
  // Lock events go out in the order they complete, each at the next row of the live list.
  let lockEventsSent = 0;
  const inWindow = (t: number, from: number, to: number, last: boolean): boolean => t >= from && (t < to || last);
  for (let b = 0; b < batchCount; b++) {
    const from = b * batchMs;
    const to = from + batchMs;
    const last = b === batchCount - 1;
    const batch: LiveDelta[] = [];
    record.processes.forEach((process, index) => {
      const { samples, ...facts } = process;
      const ends = facts.endMs !== null && inWindow(facts.endMs, from, to, last);
      if (inWindow(facts.startMs, from, to, last) && !ends) batch.push({ kind: 'process', process: { ...facts, endMs: null, exitCode: null, index } });
      if (ends) batch.push({ kind: 'process', process: { ...facts, index } });
      const fresh = samples.filter((sample) => inWindow(sample.t, from, to, last));
      if (fresh.length > 0) batch.push({ kind: 'samples', index, samples: fresh });
    });
    const cores = record.coreSamples.filter((sample) => inWindow(sample.t, from, to, last));
    if (cores.length > 0) batch.push({ kind: 'core-samples', samples: cores });
    if (b === 0) batch.push({ kind: 'locks', locks: record.locks });
    const events = record.lockEvents.filter((event) => inWindow(event.releasedMs ?? event.acquiredMs ?? event.requestMs, from, to, last));
    if (events.length > 0) batch.push({ kind: 'lock-events', from: lockEventsSent, events });
    lockEventsSent += events.length;
    if (last) {
      batch.push({ kind: 'output', stream: 'stdout', text: record.stdout });
      batch.push({ kind: 'state', state: 'finished', t: record.durationMs, exitCode: record.exitCode });
    } else {
      batch.push({ kind: 'state', state: 'running', t: to });
    }
    batches.push(batch);
  }
  return batches;
}
