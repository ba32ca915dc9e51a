// Cost of one sampler tick for N idle processes: host CPU (user + system of this whole
// Node process, thread pool included, from process.cpuUsage()) and wall time, medians.
// Also pidusage on its own over the same pids, since the product requires it and it is
// most of the cost.

import { spawn, type ChildProcess } from 'node:child_process';
import pidusage from 'pidusage';
import { findDescendants, signalProcessTree } from '../src/extension/engine/processTree';
import { RunClock } from '../src/extension/engine/runClock';
import { Sampler } from '../src/extension/engine/sampler';

export interface SamplerCost {
  processes: number;
  cpuMsPerTick: number;
  wallMsPerTick: number;
  /** pidusage alone over the same pids, inside the same ticks. */
  pidusageCpuMsPerTick?: number;
}

const WARMUP_TICKS = 5;
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
    const cpu: number[] = [];
    const wall: number[] = [];
    const pidusageCpu: number[] = [];
    for (let i = 0; i < WARMUP_TICKS + MEASURED_TICKS; i++) {
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
        cpu.push((cpuSpent.user + cpuSpent.system) / 1000);
        wall.push(Number(wallNs) / 1e6);
        pidusageCpu.push((pidusageSpent.user + pidusageSpent.system) / 1000);
      }
    }
    return {
      processes,
      cpuMsPerTick: median(cpu),
      wallMsPerTick: median(wall),
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
