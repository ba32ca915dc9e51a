// `npm run bench`: measures Parallel Lab's costs as ratios within one run (the machines
// are shared and noisy, so only same-run comparisons mean anything) and writes them with
// the machine's details into BENCHMARKS.md.

import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureHostMemory } from './hostMemoryBench';
import { measureProfilerOverhead, type OverheadResult } from './profilerOverhead';
import { measureSamplerCost } from './samplerBench';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

async function main(): Promise<void> {
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}.`,
    `Machine: ${machine()}.`,
    '',
    'Every figure is a ratio or a cost measured within one run, so the machine\'s noise',
    'affects both sides alike. Medians of repeated, interleaved runs.',
    '',
  ];

  process.stderr.write('profiler overhead on a 2-second CPU-bound program…\n');
  const overhead: OverheadResult = await measureProfilerOverhead();
  lines.push(
    '## Profiler overhead (target: at most 2 % extra wall time)',
    '',
    `A single-process CPU-bound Python program, calibrated to about 2 s, run ${overhead.repeats} times plain and ${overhead.repeats} times under the profiler, interleaved.`,
    '',
    '| measure | plain python | profiled | ratio | target |',
    '|---|---|---|---|---|',
    `| program wall time (spawn to exit) | ${overhead.plainMs.toFixed(0)} ms | ${overhead.profiledProgramMs.toFixed(0)} ms | ${overhead.programRatio.toFixed(3)} | ${verdict(overhead.programRatio <= 1.02)} |`,
    `| end to end (incl. interpreter check, event socket, record) | ${overhead.plainMs.toFixed(0)} ms | ${overhead.profiledTotalMs.toFixed(0)} ms | ${overhead.totalRatio.toFixed(3)} | ${verdict(overhead.totalRatio <= 1.02)} |`,
    '',
  );

  process.stderr.write('sampler cost per tick…\n');
  const sampler = await measureSamplerCost([1, 10, 50]);
  lines.push(
    '## Sampler cost per tick (target: at most 0.5 ms at 50 processes)',
    '',
    'Host CPU time (user + system, from `process.cpuUsage()`) and wall time of one sampling tick',
    '(`pidusage` for CPU and memory, the process-tree walk, per-core and last-CPU reads).',
    '',
    '| processes | host CPU per tick | wall per tick | target |',
    '|---|---|---|---|',
    ...sampler.map(
      (row) =>
        `| ${row.processes} | ${row.cpuMsPerTick.toFixed(3)} ms | ${row.wallMsPerTick.toFixed(3)} ms | ${row.processes === 50 ? verdict(row.cpuMsPerTick <= 0.5) : '–'} |`,
    ),
    '',
  );

  process.stderr.write('host memory at a million lock events…\n');
  const memory = await measureHostMemory(1_000_000);
  lines.push(
    '## Host memory at a million lock events (target: at most 200 MB RSS)',
    '',
    'Peak resident memory of a Node process that profiles one run whose program reports',
    `${memory.lockEvents.toLocaleString('en')} lock cycles over the event socket (the engine only, as the CLI uses it).`,
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| peak RSS, empty run (baseline) | ${memory.baselinePeakRssMb.toFixed(0)} MB | – |`,
    `| peak RSS, 1 million lock events | ${memory.peakRssMb.toFixed(0)} MB | ${verdict(memory.peakRssMb <= 200)} |`,
    `| JS heap in use at the end | ${memory.heapUsedMb.toFixed(0)} MB | – |`,
    '',
  );

  writeFileSync(path.join(REPO_ROOT, 'BENCHMARKS.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
