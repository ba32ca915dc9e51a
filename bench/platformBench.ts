// `npm run bench -- --short`: the few costs that differ most by platform, in a minute, for
// the macOS and Windows runners of .github/workflows/platforms.yml. Printed, not written to
// BENCHMARKS.md (whose figures come from the full run on the project's Linux machine).
// - One read of the run's processes by this platform's process source (the listing path on
//   macOS and Windows: a kept-alive `ps` loop or PowerShell, plus pidusage on macOS).
// - The lock tracer's cost (lockBench.ts): a `with lock:` cycle and a shared counter.

import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { createProcessSource } from '../src/extension/engine/sampling/processSource';
import { RunClock } from '../src/extension/engine/run/runClock';
import { measureLockCost } from './lockBench';
import { median } from './measure';

const PYTHON = process.env.PARALLEL_LAB_BENCH_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
const TREE_SIZE = 10;
const READS = 30;
const READ_SPACING_MS = 100;

/** A Python parent with TREE_SIZE - 1 sleeping children, started the portable way. */
const IDLE_TREE = `
import subprocess, sys, time
children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]) for _ in range(${TREE_SIZE - 1})]
print("ready", flush=True)
try:
    time.sleep(600)
finally:
    for child in children:
        child.kill()
`;

interface SourceReadCost {
  processesSeen: number;
  cpuMs: number;
  wallMs: number;
}

async function measureSourceRead(): Promise<SourceReadCost> {
  const parent = spawn(PYTHON, ['-c', IDLE_TREE], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    parent.once('exit', (code) => reject(new Error(`the idle tree ended with ${code}`)));
  });
  const source = createProcessSource();
  const clock = new RunClock();
  const roots = { rootPid: parent.pid!, extraPids: [] };
  const cpu: number[] = [];
  const wall: number[] = [];
  let processesSeen = 0;
  try {
    for (let i = 0; i < READS; i++) {
      await delay(READ_SPACING_MS);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      processesSeen = (await source.read(roots, clock.nowMs())).length;
      wall.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
    }
  } finally {
    source.close();
    parent.kill();
  }
  return { processesSeen, cpuMs: median(cpu), wallMs: median(wall) };
}

export async function shortPlatformBench(): Promise<string[]> {
  process.stderr.write('process source reads…\n');
  const read = await measureSourceRead();
  process.stderr.write('lock tracer cost…\n');
  const lock = await measureLockCost();
  return [
    `# Short benchmark: ${os.type()} ${os.release()}, ${os.cpus().length} cores, Node ${process.version}`,
    '',
    '| measure | value |',
    '|---|---|',
    `| process source read, ${read.processesSeen} of ${TREE_SIZE} processes seen: host CPU / wall (median of ${READS}) | ${read.cpuMs.toFixed(2)} ms / ${read.wallMs.toFixed(2)} ms |`,
    `| uncontended \`with lock:\` cycle, untraced / traced | ${lock.untracedCycleUs.toFixed(3)} µs / ${lock.tracedCycleUs.toFixed(3)} µs |`,
    `| 4 processes × 50,000 \`Value\` increments, traced ÷ untraced | ${lock.counterRatio.toFixed(2)}× |`,
    '',
  ];
}
