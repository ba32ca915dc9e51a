// Cost of the stove reader (Linux): one tick over a tree of 10 processes with 4 threads each,
// every process watched, ticks 5 ms apart as in a run. Two trees: the threads of
// threadReadsBench.ts, each waking every 20 ms for a little work, and threads that fight over
// their process's GIL (each burning pure-Python CPU), the case the stove is for. Host CPU
// (user + system of this whole Node process) per tick, medians of interleaved ticks: the
// reader's tick, and as a floor the same files read and nothing else (each process's stat
// line, each thread's schedstat and syscall). The reader skips the syscall file of a thread
// that has not run since its last read, so the tick may cost less than that floor.

import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { signalProcessTree } from '../src/extension/engine/run/processTree';
import { RunClock } from '../src/extension/engine/run/runClock';
import { DEFAULT_STOVE_INTERVAL_MS, StoveSampler } from '../src/extension/engine/sampling/linux/stoveSampler';
import { findDescendants } from '../test/helpers/descendants';
import { measured, median } from './measure';
import { allThreadsUp, BUSY_THREADS_TREE, readyLine, THREAD_TREE } from './threadReadsBench';

/** Each thread of each process burns pure-Python CPU: they fight over their process's GIL. */
const FIGHTING_THREADS_TREE = `
import os, sys, threading
processes, threads = int(sys.argv[1]), int(sys.argv[2])
def burn():
    x = 0
    while True:
        x += 1
def run_threads():
    for _ in range(threads - 1):
        threading.Thread(target=burn, daemon=True).start()
for _ in range(processes - 1):
    if os.fork() == 0:
        run_threads()
        burn()
run_threads()
print("ready", flush=True)
burn()
`;

export const STOVE_TREES = { 'wake every 20 ms': BUSY_THREADS_TREE, 'fight over the GIL': FIGHTING_THREADS_TREE } as const;
export type StoveTree = keyof typeof STOVE_TREES;

export interface StoveCost {
  tree: StoveTree;
  threads: number;
  /** One tick of the reader over every watched process. */
  tickCpuMs: number;
  /** The same files read alone. */
  readsCpuMs: number;
}

const WARMUP_TICKS = 20;
const MEASURED_CYCLES = 200;
const CYCLE = ['tick', 'reads alone'] as const;

export async function measureStoveCost(tree: StoveTree): Promise<StoveCost | null> {
  if (process.platform !== 'linux') return null;
  const { processes, threadsPerProcess } = THREAD_TREE;
  const root = spawn('python3', ['-c', STOVE_TREES[tree], String(processes), String(threadsPerProcess)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const rootPid = root.pid ?? 0;
  const stove = new StoveSampler({ clock: new RunClock(), onReading: () => undefined });
  try {
    await readyLine(root);
    const pids = await allThreadsUp(rootPid, processes, threadsPerProcess);
    pids.forEach((pid) => stove.watch(pid));
    const files = pids.flatMap((pid) => [
      openSync(`/proc/${pid}/stat`, 'r'),
      ...readdirSync(`/proc/${pid}/task`).flatMap((tid) => [openSync(`/proc/${pid}/task/${tid}/schedstat`, 'r'), openSync(`/proc/${pid}/task/${tid}/syscall`, 'r')]),
    ]);
    const buffer = Buffer.alloc(4096);
    const readsAlone = (): void => files.forEach((fd) => readSync(fd, buffer, 0, buffer.length, 0));
    const costs: Record<(typeof CYCLE)[number], number[]> = { tick: [], 'reads alone': [] };
    for (let i = 0; i < WARMUP_TICKS + CYCLE.length * MEASURED_CYCLES; i++) {
      const kind = CYCLE[i % CYCLE.length];
      await delay(DEFAULT_STOVE_INTERVAL_MS);
      const { cost } = await measured(kind === 'tick' ? () => stove.tick() : readsAlone);
      if (i >= WARMUP_TICKS) costs[kind].push(cost.cpuMs);
    }
    files.forEach((fd) => closeSync(fd));
    return { tree, threads: processes * threadsPerProcess, tickCpuMs: median(costs.tick), readsCpuMs: median(costs['reads alone']) };
  } finally {
    stove.stop();
    const tree = await findDescendants(rootPid);
    await signalProcessTree(rootPid, tree.map(({ pid }) => pid), 'SIGKILL');
  }
}

export function stoveMarkdown(costs: readonly StoveCost[]): string[] {
  const { processes, threadsPerProcess } = THREAD_TREE;
  return [
    `## The stove reader per tick (${processes} processes × ${threadsPerProcess} threads, every ${DEFAULT_STOVE_INTERVAL_MS} ms)`,
    '',
    'Where two or more threads of a process want the GIL, the stove reader reads, every 5 ms, each',
    "thread's `schedstat` (CPU time, run-queue wait) and, if it ran since the last read, its `syscall`",
    "(what it sleeps in: the GIL's futex or something else), and the process's stat line (to notice",
    'new threads). Here every process of the tree is watched at once: the most this tree could cost.',
    'Host CPU per tick, medians of interleaved ticks 5 ms apart; as a floor, every one of those files',
    'read and nothing else.',
    '',
    '| threads | stove tick (CPU) | per thread | all files read alone (CPU) | tick ÷ floor | share of one core at 5 ms |',
    '|---|---|---|---|---|---|',
    ...costs.map((cost) => {
      const perThreadUs = (cost.tickCpuMs * 1000) / cost.threads;
      const shareOfCore = (cost.tickCpuMs / DEFAULT_STOVE_INTERVAL_MS) * 100;
      return `| ${cost.tree} | ${cost.tickCpuMs.toFixed(3)} ms | ${perThreadUs.toFixed(1)} µs | ${cost.readsCpuMs.toFixed(3)} ms | ${(cost.tickCpuMs / cost.readsCpuMs).toFixed(2)}× | ${shareOfCore.toFixed(1)} % |`;
    }),
    '',
  ];
}

/** Both trees, one after the other. */
export async function measureStoveCosts(): Promise<StoveCost[]> {
  const costs: StoveCost[] = [];
  for (const tree of Object.keys(STOVE_TREES) as StoveTree[]) {
    const cost = await measureStoveCost(tree);
    if (cost !== null) costs.push(cost);
  }
  return costs;
}

if (require.main === module) {
  void measureStoveCosts().then((costs) => process.stdout.write(`${JSON.stringify(costs)}\n${stoveMarkdown(costs).join('\n')}\n`));
}
