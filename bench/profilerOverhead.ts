// The wall-time cost of profiling: the same fixed amount of CPU-bound Python work, run
// plain and under the profiler, interleaved so both see the same machine noise.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../src/extension/engine/profileRun';
import { resolvePython } from '../src/extension/engine/pythonInterpreter';

export interface OverheadResult {
  repeats: number;
  plainMs: number;
  /** The program's own wall time under the profiler (spawn to exit of the main process). */
  profiledProgramMs: number;
  /** From the request to the finished record. */
  profiledTotalMs: number;
  programRatio: number;
  totalRatio: number;
}

// The seed lesson's CPU-bound work: a sum of squares over a generator.
const PROGRAM = `
import sys

print(sum(i * i for i in range(int(sys.argv[1]))))
`;

function runPlain(python: string, file: string, iterations: number): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [file, String(iterations)], { stdio: 'ignore', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    child.once('error', reject);
    child.once('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

async function runProfiled(file: string, iterations: number): Promise<{ programMs: number; totalMs: number }> {
  const started = process.hrtime.bigint();
  const record = await (await ProfileRun.start({ file, args: [String(iterations)] })).finished;
  return { programMs: record.durationMs, totalMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function measureProfilerOverhead(repeats = 9, targetMs = 2000): Promise<OverheadResult> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-bench-')), 'cpu_bound.py');
  writeFileSync(file, PROGRAM);
  // Plain runs use the interpreter itself, as profiled runs do: a launcher such as a pyenv
  // shim in front of it would add its own start-up to the plain side only.
  const python = (await resolvePython()).executable;
  // Calibrate the fixed work so a plain run takes about targetMs (after a warm-up run).
  const probeIterations = 4_000_000;
  await runPlain(python, file, probeIterations);
  const probeMs = await runPlain(python, file, probeIterations);
  const iterations = Math.round((probeIterations * targetMs) / probeMs);

  const plain: number[] = [];
  const program: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < repeats; i++) {
    plain.push(await runPlain(python, file, iterations));
    const profiled = await runProfiled(file, iterations);
    program.push(profiled.programMs);
    total.push(profiled.totalMs);
  }
  // Ratios pair each profiled run with the plain run just before it, which saw the same noise.
  return {
    repeats,
    plainMs: median(plain),
    profiledProgramMs: median(program),
    profiledTotalMs: median(total),
    programRatio: median(program.map((ms, i) => ms / plain[i])),
    totalRatio: median(total.map((ms, i) => ms / plain[i])),
  };
}
