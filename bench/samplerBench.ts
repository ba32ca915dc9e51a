// Cost of one sampler tick for N idle processes: host CPU (user + system of this whole
// Node process, thread pool included, from process.cpuUsage()) and wall time, medians.
// Three kinds take turns, 100 ms apart: a tick right after a process was created (the
// sampler looks its pid up, to see whether its parent belongs to the run), a quiet tick
// (nothing created since the last), and, as the floor, the /proc/PID/stat reads alone.
// Ticks of both kinds include the full walk of every tenth tick, as a run's ticks do.
// Also pidusage on its own over the same pids: what reading CPU and memory through it
// would cost on Linux (see processUsage.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { closeSync, openSync, readSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import pidusage from 'pidusage';
import { signalProcessTree } from '../src/extension/engine/run/processTree';
import { findDescendants } from '../test/helpers/descendants';
import { RunClock } from '../src/extension/engine/run/runClock';
import { Sampler } from '../src/extension/engine/sampling/sampler';
import { measured, median, type WorkCost } from './measure';

export interface SamplerCost {
  processes: number;
  /** A tick with no new process on the machine since the one before. */
  quiet: WorkCost;
  /** A tick right after a process (not of the run) was created. */
  afterNewProcess: WorkCost;
  /** pidusage alone over the same pids, host CPU. */
  pidusageCpuMsPerTick: number;
  /**
   * Linux: one read of each process's /proc/PID/stat and nothing else, 100 ms apart like
   * the ticks: the floor of a tick's cost, whatever code does the reading. Null elsewhere.
   */
  statReadsCpuMs: number | null;
}

const WARMUP_TICKS = 6;
/** Cycles measured. */
const MEASURED_CYCLES = 50;
/**
 * The order the kinds take turns in: three sampler ticks a cycle, so that the full walk of
 * every tenth sampler tick (linuxProcessTable.ts) falls on each kind in turn, on one tick in
 * ten of each as in a run. With two a cycle it would fall on the same kind every time.
 */
const CYCLE = ['after a new process', 'quiet', 'stat reads alone', 'quiet'] as const;
/** The sampler's default interval: caches cool down between ticks as they do in a run. */
const TICK_SPACING_MS = 100;

/** One python parent that forks processes - 1 children; all sleep. */
const IDLE_TREE = `
import os, sys, time
for _ in range(int(sys.argv[1]) - 1):
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)
print("ready", flush=True)
time.sleep(600)
`;

export async function measureSamplerCost(processCounts: number[]): Promise<SamplerCost[]> {
  const results: SamplerCost[] = [];
  for (const processes of processCounts) {
    results.push(await measureOne(processes));
  }
  return results;
}

async function measureOne(processes: number): Promise<SamplerCost> {
  const root = await startIdleTree(processes);
  const forker = startForker();
  const rootPid = root.pid ?? 0;
  const sampler = new Sampler({ rootPid, clock: new RunClock(), onTick: () => undefined });
  try {
    const quiet: WorkCost[] = [];
    const afterNewProcess: WorkCost[] = [];
    const pidusageCpu: number[] = [];
    const statReadsCpu: number[] = [];
    let statReads: StatReads | null = null;
    for (let i = 0; i < WARMUP_TICKS + CYCLE.length * MEASURED_CYCLES; i++) {
      const kind = CYCLE[i % CYCLE.length];
      if (kind === 'after a new process') {
        await forker.createProcess();
      }
      await delay(TICK_SPACING_MS);
      if (kind === 'stat reads alone') {
        const reads = statReads;
        if (reads !== null && i >= WARMUP_TICKS) {
          statReadsCpu.push((await measured(() => reads.read())).cost.cpuMs);
        }
        continue;
      }
      const { result: tick, cost } = await measured(() => sampler.tick());
      if (tick.processes.length !== processes) {
        throw new Error(`the sampler saw ${tick.processes.length} of ${processes} processes`);
      }
      const pids = tick.processes.map(({ pid }) => pid);
      statReads ??= openStatFiles(pids);
      const pidusageCost = (await measured(() => pidusage(pids))).cost;
      if (i >= WARMUP_TICKS) {
        (kind === 'quiet' ? quiet : afterNewProcess).push(cost);
        pidusageCpu.push(pidusageCost.cpuMs);
      }
    }
    statReads?.close();
    return {
      processes,
      quiet: medianCost(quiet),
      afterNewProcess: medianCost(afterNewProcess),
      pidusageCpuMsPerTick: median(pidusageCpu),
      statReadsCpuMs: statReadsCpu.length > 0 ? median(statReadsCpu) : null,
    };
  } finally {
    forker.stop();
    await sampler.stop();
    const tree = await findDescendants(rootPid);
    await signalProcessTree(rootPid, tree.map(({ pid }) => pid), 'SIGKILL');
  }
}

/** Creates a short-lived process (not of the run) on each line it reads, and prints its pid. */
const FORKER = `
import os, sys
for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    print(pid, flush=True)
`;

interface Forker {
  createProcess(): Promise<void>;
  stop(): void;
}

// Another process does the forking: were the benchmark to spawn, its own memory would be
// copy-on-write for a while, and the next tick would pay page faults no real run causes.
function startForker(): Forker {
  const forker = spawn('python3', ['-c', FORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: forker.stdout })[Symbol.asyncIterator]();
  return {
    createProcess: async () => {
      forker.stdin.write('\n');
      await lines.next();
    },
    stop: () => forker.kill(),
  };
}

async function startIdleTree(processes: number): Promise<ChildProcess> {
  const root = spawn('python3', ['-c', IDLE_TREE, String(processes)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    root.once('error', reject);
    root.stdout?.once('data', () => resolve());
  });
  // The forks print nothing: wait until the walk sees all of them.
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await findDescendants(root.pid ?? 0)).length === processes - 1) {
      return root;
    }
    await delay(20);
  }
  throw new Error(`the idle tree of ${processes} processes did not come up`);
}

interface StatReads {
  read(): void;
  close(): void;
}

/** The files kept open, as the sampler keeps them; null where there is no /proc. */
function openStatFiles(pids: number[]): StatReads | null {
  if (process.platform !== 'linux') {
    return null;
  }
  const files = pids.map((pid) => openSync(`/proc/${pid}/stat`, 'r'));
  const buffer = Buffer.alloc(4096);
  return {
    read: () => files.forEach((fd) => readSync(fd, buffer, 0, buffer.length, 0)),
    close: () => files.forEach((fd) => closeSync(fd)),
  };
}

function medianCost(ticks: WorkCost[]): WorkCost {
  return { cpuMs: median(ticks.map(({ cpuMs }) => cpuMs)), wallMs: median(ticks.map(({ wallMs }) => wallMs)) };
}
