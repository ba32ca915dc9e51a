// Cost of one sampler tick for N idle processes: host CPU (user + system of this whole
// Node process, thread pool included, from process.cpuUsage()) and wall time, medians.
// Ticks alternate between a quiet one (no process was created on the machine since the last
// tick) and one right after a process was created, whose pid the sampler then looks up to
// see whether its parent belongs to the run. Also pidusage on its own over the same pids: what reading
// CPU and memory through it would cost on Linux (see processUsage.ts).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import pidusage from 'pidusage';
import { findDescendants, signalProcessTree } from '../src/extension/engine/processTree';
import { RunClock } from '../src/extension/engine/runClock';
import { Sampler } from '../src/extension/engine/sampler';

export interface SamplerCost {
  processes: number;
  /** A tick with no new process on the machine since the one before. */
  quiet: TickCost;
  /** A tick right after a process (not of the run) was created. */
  afterNewProcess: TickCost;
  /** pidusage alone over the same pids, host CPU. */
  pidusageCpuMsPerTick: number;
}

export interface TickCost {
  cpuMs: number;
  wallMs: number;
}

const WARMUP_TICKS = 6;
/** Of each kind. */
const MEASURED_TICKS = 50;
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
  const rootPid = root.pid ?? 0;
  const sampler = new Sampler({ rootPid, clock: new RunClock(), onTick: () => undefined });
  try {
    const quiet: TickCost[] = [];
    const afterNewProcess: TickCost[] = [];
    const pidusageCpu: number[] = [];
    for (let i = 0; i < WARMUP_TICKS + 2 * MEASURED_TICKS; i++) {
      const newProcess = i % 2 === 0;
      if (newProcess) {
        spawnSync('true'); // outside the measured tick: only the new pid matters
      }
      await delay(TICK_SPACING_MS);
      const cpuBefore = process.cpuUsage();
      const wallBefore = process.hrtime.bigint();
      const tick = await sampler.tick();
      const cpuSpent = process.cpuUsage(cpuBefore);
      const wallNs = process.hrtime.bigint() - wallBefore;
      if (tick.processes.length !== processes) {
        throw new Error(`the sampler saw ${tick.processes.length} of ${processes} processes`);
      }
      const pidusageBefore = process.cpuUsage();
      await pidusage(tick.processes.map(({ pid }) => pid));
      const pidusageSpent = process.cpuUsage(pidusageBefore);
      if (i >= WARMUP_TICKS) {
        (newProcess ? afterNewProcess : quiet).push({ cpuMs: (cpuSpent.user + cpuSpent.system) / 1000, wallMs: Number(wallNs) / 1e6 });
        pidusageCpu.push((pidusageSpent.user + pidusageSpent.system) / 1000);
      }
    }
    return {
      processes,
      quiet: medianCost(quiet),
      afterNewProcess: medianCost(afterNewProcess),
      pidusageCpuMsPerTick: median(pidusageCpu),
    };
  } finally {
    await sampler.stop();
    const tree = await findDescendants([rootPid]);
    signalProcessTree(rootPid, tree.map(({ pid }) => pid), 'SIGKILL');
  }
}

async function startIdleTree(processes: number): Promise<ChildProcess> {
  const root = spawn('python3', ['-c', IDLE_TREE, String(processes)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    root.once('error', reject);
    root.stdout?.once('data', () => resolve());
  });
  // The forks print nothing: wait until the walk sees all of them.
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await findDescendants([root.pid ?? 0])).length === processes - 1) {
      return root;
    }
    await delay(20);
  }
  throw new Error(`the idle tree of ${processes} processes did not come up`);
}

function medianCost(ticks: TickCost[]): TickCost {
  return { cpuMs: median(ticks.map(({ cpuMs }) => cpuMs)), wallMs: median(ticks.map(({ wallMs }) => wallMs)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
