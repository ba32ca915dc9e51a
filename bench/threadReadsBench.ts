// Cost of the per-thread reads of one sampler tick (Linux): a tree of 10 processes with 4
// threads each, every thread waking every 20 ms to do a little work, so that each has run
// since the tick before and the sampler reads its schedstat and its stat line (for the
// core) on every tick: the most a tick of that tree ever reads. Host CPU (user + system of
// this whole Node process) per tick, medians of interleaved ticks 100 ms apart: the
// sampler's tick, and as floors the process stat reads alone and the thread reads alone
// (the same files, kept open, read and nothing else).

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import * as readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { signalProcessTree } from '../src/extension/engine/run/processTree';
import { findDescendants } from '../test/helpers/descendants';
import { RunClock } from '../src/extension/engine/run/runClock';
import { Sampler } from '../src/extension/engine/sampling/sampler';
import { measured, median } from './measure';

export const THREAD_TREE = { processes: 10, threadsPerProcess: 4 };

export interface ThreadReadsCost {
  tickCpuMs: number;
  /** One read of each process's /proc/PID/stat. */
  statReadsCpuMs: number;
  /** One read of each thread's schedstat and stat. */
  threadReadsCpuMs: number;
}

const WARMUP_TICKS = 6;
const MEASURED_CYCLES = 50;
const CYCLE = ['tick', 'stat reads alone', 'thread reads alone'] as const;
const TICK_SPACING_MS = 100;

export const BUSY_THREADS_TREE = `
import os, sys, threading, time
processes, threads = int(sys.argv[1]), int(sys.argv[2])
def wake_often():
    while True:
        sum(range(200))
        time.sleep(0.02)
def run_threads():
    for _ in range(threads - 1):
        threading.Thread(target=wake_often, daemon=True).start()
for _ in range(processes - 1):
    if os.fork() == 0:
        run_threads()
        wake_often()
run_threads()
print("ready", flush=True)
wake_often()
`;

export async function measureThreadReads(): Promise<ThreadReadsCost | null> {
  if (process.platform !== 'linux') return null;
  const { processes, threadsPerProcess } = THREAD_TREE;
  const root = spawn('python3', ['-c', BUSY_THREADS_TREE, String(processes), String(threadsPerProcess)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const rootPid = root.pid ?? 0;
  const sampler = new Sampler({ rootPid, clock: new RunClock(), onTick: () => undefined });
  try {
    await readyLine(root);
    const pids = await allThreadsUp(rootPid, processes, threadsPerProcess);
    const statFiles = pids.map((pid) => openSync(`/proc/${pid}/stat`, 'r'));
    const threadFiles = pids.flatMap((pid) =>
      readdirSync(`/proc/${pid}/task`).flatMap((tid) => [openSync(`/proc/${pid}/task/${tid}/schedstat`, 'r'), openSync(`/proc/${pid}/task/${tid}/stat`, 'r')]),
    );
    const buffer = Buffer.alloc(4096);
    const readAll = (files: number[]) => (): void => files.forEach((fd) => readSync(fd, buffer, 0, buffer.length, 0));
    const costs: Record<(typeof CYCLE)[number], number[]> = { tick: [], 'stat reads alone': [], 'thread reads alone': [] };
    for (let i = 0; i < WARMUP_TICKS + CYCLE.length * MEASURED_CYCLES; i++) {
      const kind = CYCLE[i % CYCLE.length];
      await delay(TICK_SPACING_MS);
      const work = kind === 'tick' ? () => sampler.tick() : readAll(kind === 'stat reads alone' ? statFiles : threadFiles);
      const { cost } = await measured(work);
      if (i >= WARMUP_TICKS) costs[kind].push(cost.cpuMs);
    }
    [...statFiles, ...threadFiles].forEach((fd) => closeSync(fd));
    return { tickCpuMs: median(costs.tick), statReadsCpuMs: median(costs['stat reads alone']), threadReadsCpuMs: median(costs['thread reads alone']) };
  } finally {
    await sampler.stop();
    const tree = await findDescendants(rootPid);
    await signalProcessTree(rootPid, tree.map(({ pid }) => pid), 'SIGKILL');
  }
}

export async function readyLine(child: ChildProcess): Promise<void> {
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  await lines.next();
}

/** The pids of the tree once every process has all its threads. */
export async function allThreadsUp(rootPid: number, processes: number, threads: number): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const pids = [rootPid, ...(await findDescendants(rootPid)).map(({ pid }) => pid)];
    if (pids.length === processes && pids.every((pid) => readdirSync(`/proc/${pid}/task`).length === threads)) return pids;
    await delay(20);
  }
  throw new Error(`the tree of ${processes} processes × ${threads} threads did not come up`);
}


if (require.main === module) {
  void measureThreadReads().then((cost) => process.stdout.write(`${JSON.stringify(cost)}\n`));
}
