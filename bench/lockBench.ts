// The lock tracer's cost: an uncontended `with lock:` cycle, and a contended shared counter
// (4 processes × 50,000 increments of a Value under its lock), traced against untraced.
// Same Python, separate interpreters, interleaved runs; medians. The cycle is timed inside
// Python with perf_counter around the loop, so interpreter start-up does not count.
// And the learner's threading.Lock: its cycle against the plain C lock's, both in one traced
// interpreter (measureThreadingLockCost).

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventServer } from '../src/extension/engine/tracer/eventServer';
import { RunClock } from '../src/extension/engine/run/runClock';
import { TRACER_ENV } from '../src/extension/engine/tracer/tracerProtocol';
import { median } from './measure';

const TRACER_DIR = path.resolve(__dirname, '../../runtimes/python');
const PYTHON = process.env.PARALLEL_LAB_BENCH_PYTHON ?? 'python3';
const REPEATS = 5;
const CYCLES = 200_000;

const CYCLE_PROGRAM = `
import multiprocessing as mp
import sys
import time

cycles = int(sys.argv[1])
lock = mp.Lock()
started = time.perf_counter()
for _ in range(cycles):
    with lock:
        pass
print((time.perf_counter() - started) / cycles * 1e6)
`;

const COUNTER_PROGRAM = `
import multiprocessing as mp
import time

def add(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1

if __name__ == "__main__":
    counter = mp.Value("i", 0)
    workers = [mp.Process(target=add, args=(counter, 50000)) for _ in range(4)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert counter.value == 200000, counter.value
    print((time.perf_counter() - started) * 1000)
`;

export interface LockCost {
  untracedCycleUs: number;
  tracedCycleUs: number;
  addedCycleUs: number;
  counterUntracedMs: number;
  counterTracedMs: number;
  counterRatio: number;
}

/** Runs a program and returns the number it prints; traced runs report to a real EventServer. */
async function runNumber(file: string, args: string[], traced: boolean): Promise<number> {
  return Number((await runOutput(file, args, traced)).trim());
}

/** Runs a program and returns what it prints; traced runs report to a real EventServer. */
async function runOutput(file: string, args: string[], traced: boolean): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(TRACER_ENV)) delete env[name];
  delete env.PYTHONPATH;
  // The records are received and dropped: the host's own cost is not the tracer's.
  const server = traced ? await EventServer.open(new RunClock(), () => undefined) : undefined;
  if (server) {
    env.PYTHONPATH = TRACER_DIR;
    Object.assign(env, server.tracerVariables);
  }
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(PYTHON, [file, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} exited with ${code}`))));
    });
    return stdout;
  } finally {
    await server?.close(2000);
  }
}

export async function measureLockCost(): Promise<LockCost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-lock-bench-'));
  const cycleFile = path.join(dir, 'lock_cycle.py');
  const counterFile = path.join(dir, 'locked_counter.py');
  writeFileSync(cycleFile, CYCLE_PROGRAM);
  writeFileSync(counterFile, COUNTER_PROGRAM);

  const untracedCycle: number[] = [];
  const tracedCycle: number[] = [];
  const untracedCounter: number[] = [];
  const tracedCounter: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    untracedCycle.push(await runNumber(cycleFile, [String(CYCLES)], false));
    tracedCycle.push(await runNumber(cycleFile, [String(CYCLES)], true));
    untracedCounter.push(await runNumber(counterFile, [], false));
    tracedCounter.push(await runNumber(counterFile, [], true));
  }
  const untracedCycleUs = median(untracedCycle);
  const tracedCycleUs = median(tracedCycle);
  const counterUntracedMs = median(untracedCounter);
  const counterTracedMs = median(tracedCounter);
  return {
    untracedCycleUs,
    tracedCycleUs,
    addedCycleUs: tracedCycleUs - untracedCycleUs,
    counterUntracedMs,
    counterTracedMs,
    // Each traced run against the untraced run just before it, which saw the same noise.
    counterRatio: median(tracedCounter.map((ms, i) => ms / untracedCounter[i])),
  };
}

// The learner's threading.Lock (a wrapper of the C lock, traced) and a plain C lock, which is
// what the lock is without the tracer (and what the standard library's own locks stay with
// it), in one traced interpreter, in turns. CPU time of the thread (time.thread_time), so
// that time the machine gives other programs does not count; the least of the turns.
const THREADING_CYCLE_PROGRAM = `
import _thread
import json
import sys
import threading
import time

cycles, turns = int(sys.argv[1]), int(sys.argv[2])


def cycle_us(lock):
    started = time.thread_time()
    for _ in range(cycles):
        with lock:
            pass
    return (time.thread_time() - started) / cycles * 1e6


plain = _thread.allocate_lock()
traced = threading.Lock()
plain_us, traced_us = [], []
for _ in range(turns):
    plain_us.append(cycle_us(plain))
    traced_us.append(cycle_us(traced))
print(json.dumps({"plain": min(plain_us), "traced": min(traced_us), "wrapped": type(traced) is not type(plain)}))
`;

const THREADING_TURNS = 7;

export interface ThreadingLockCost {
  plainCycleUs: number;
  tracedCycleUs: number;
  addedCycleUs: number;
}

export async function measureThreadingLockCost(): Promise<ThreadingLockCost> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-threading-lock-bench-')), 'threading_cycle.py');
  writeFileSync(file, THREADING_CYCLE_PROGRAM);
  const measured = JSON.parse(await runOutput(file, [String(CYCLES), String(THREADING_TURNS)], true)) as { plain: number; traced: number; wrapped: boolean };
  if (!measured.wrapped) throw new Error('The tracer did not trace the threading.Lock: the benchmark would compare two plain locks.');
  return { plainCycleUs: measured.plain, tracedCycleUs: measured.traced, addedCycleUs: measured.traced - measured.plain };
}
