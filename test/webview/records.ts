// Synthetic run records for the webview tests and the benchmark: the counter example's
// shape (a main process, ten workers, one shared lock), and the same grown to any number of
// lock events.

import { RUN_RECORD_SCHEMA, type LockEvent, type ProcessEntry, type RunRecord } from '../../src/shared/runRecord';

export const COUNTER_SOURCE = `from multiprocessing import Process, Value


def add_one(counter):
    with counter.get_lock():
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    workers = [Process(target=add_one, args=(counter,)) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(counter.value)
`;
export const COUNTER_FILE = '/lessons/counter.py';
export const LOCK_LINE = 5;
export const MAIN_PID = 1000;

/**
 * `workers` processes each taking the lock `cyclesPerWorker` times; waits grow with
 * contention. Deterministic (no randomness), so renders can be compared.
 */
export function syntheticRecord(options: { workers?: number; cyclesPerWorker?: number; durationMs?: number; cores?: number } = {}): RunRecord {
  const workers = options.workers ?? 10;
  const cycles = options.cyclesPerWorker ?? 1;
  const durationMs = options.durationMs ?? 1000;
  const cores = options.cores ?? 4;
  const site = { file: COUNTER_FILE, line: LOCK_LINE, function: 'add_one' };
  const processes: ProcessEntry[] = [process(MAIN_PID, 1, 'MainProcess', 'main', 0, durationMs, 0)];
  const lockEvents: LockEvent[] = [];
  const slot = (durationMs * 0.8) / (workers * cycles);
  for (let w = 0; w < workers; w++) {
    const pid = MAIN_PID + 1 + w;
    const start = durationMs * 0.05 + w * (durationMs * 0.01);
    processes.push(process(pid, MAIN_PID, `Process-${w + 1}`, 'process', start, durationMs * 0.95, w % cores));
  }
  // Cycles interleave across workers in time, as a contended lock does.
  for (let c = 0; c < cycles; c++) {
    for (let w = 0; w < workers; w++) {
      const k = c * workers + w;
      const acquired = durationMs * 0.1 + k * slot;
      const requestMs = acquired - slot * (0.2 + (k % 7) * 0.1);
      lockEvents.push({ lock: 'lock-1', pid: MAIN_PID + 1 + w, tid: 1, requestMs, acquiredMs: acquired, releasedMs: acquired + slot * 0.6, site });
    }
  }
  const coreSamples = [];
  for (let t = 100; t <= durationMs; t += 100) {
    const usage = Array.from({ length: cores }, (_, core) => 40 + ((core * 17 + t / 100) % 5) * 10);
    // Other programs take 10 % of every core; the rest is the run's.
    const run = usage.map((busy) => busy - 10);
    coreSamples.push({ t, usage, run, runTotal: run.reduce((sum, share) => sum + share, 0) });
  }
  return {
    schema: RUN_RECORD_SCHEMA,
    file: COUNTER_FILE,
    argv: [],
    python: { executable: '/usr/bin/python3', version: '3.11.2' },
    startMethod: 'fork',
    exitCode: 0,
    exitSignal: null,
    outcome: 'exited',
    durationMs,
    cores,
    truncated: false,
    startedAt: '2024-01-01T00:00:00.000Z',
    processes,
    coreSamples,
    locks: [{ id: 'lock-1', kind: 'Lock', api: 'Value.get_lock', name: 'counter.get_lock()', internal: false, site: { file: COUNTER_FILE, line: 10 } }],
    lockEvents,
    channels: [],
    ipcEvents: [],
    tasks: [],
    stdout: `${workers}\n`,
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    warnings: [],
    events: { received: 0, malformed: 0, unauthenticated: 0 },
  };

  function process(pid: number, ppid: number, name: string, role: ProcessEntry['role'], startMs: number, endMs: number, core: number): ProcessEntry {
    const samples = [];
    // Every third sample, the process waited 30 ms for a free core.
    for (let t = Math.ceil(startMs / 100) * 100; t <= endMs; t += 100) samples.push({ t, cpu: 20 + ((pid + t / 100) % 4) * 20, rssBytes: 12_000_000 + pid, core, runQueueMs: (t / 100) % 3 === 0 ? 30 : 0 });
    return { pid, ppid, name, role, startMs, endMs, exitCode: 0, cpuMs: 10, traced: true, samples };
  }
}
