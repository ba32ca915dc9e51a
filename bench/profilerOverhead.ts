// The wall-time cost of profiling: the same fixed amount of CPU-bound Python work, run
// plain and under the profiler, interleaved so both see the same machine noise.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProfileRun } from '../src/extension/engine/run/profileRun';
import { resolvePython } from '../src/extension/engine/interpreter/pythonInterpreter';
import { median } from './measure';

export interface OverheadResult {
  /** Pairs of runs (one plain, one profiled), spread evenly over the layouts. */
  pairs: number;
  layouts: number;
  plainMs: number;
  /** The program's own wall time under the profiler (spawn to exit of the main process). */
  profiledProgramMs: number;
  /** From the request to the finished record. */
  profiledTotalMs: number;
  /** Mean over the layouts of each layout's median ratio. */
  programRatio: number;
  totalRatio: number;
  /** Each layout's median ratio, program wall time. */
  programRatioByLayout: number[];
  /** Whether address-space randomization was off, so each layout was the same in every run. */
  fixedAddresses: boolean;
}

/** Memory layouts the program runs in (see PROGRAM). */
const LAYOUTS = 16;
const PAIRS_PER_LAYOUT = 2;
/** Layout k: k small objects first, and an environment variable of k × this many bytes. */
export const ENV_PAD_BYTES_PER_LAYOUT = 40;
const LAYOUT_ENV = 'PARALLEL_LAB_BENCH_LAYOUT';

// The seed lesson's CPU-bound work: a sum of squares over a generator. How fast this loop
// runs depends on where in memory its integers and its frames land, and a few small
// objects allocated before it (by any sitecustomize, the tracer's included, or by the
// padding line), or a longer environment (it sits at the top of the stack, and os.environ
// copies it to the heap), move that by several percent either way. So each pair of runs
// gets one layout, the same on both sides, and the ratios are averaged over the layouts:
// layout luck then weighs on neither side, and what remains is the profiler's cost.
const PROGRAM = `
import sys

_layout = [float(i) for i in range(int(sys.argv[2]))]
print(sum(i * i for i in range(int(sys.argv[1]))))
`;

function environmentPad(layout: number): string {
  return 'x'.repeat(layout * ENV_PAD_BYTES_PER_LAYOUT);
}

function runPlain(python: string, file: string, iterations: number, layout: number): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, [LAYOUT_ENV]: environmentPad(layout), PYTHONDONTWRITEBYTECODE: '1' };
    const child = spawn(python, [file, String(iterations), String(layout)], { stdio: 'ignore', env });
    child.once('error', reject);
    child.once('exit', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
  });
}

async function runProfiled(file: string, iterations: number, layout: number): Promise<{ programMs: number; totalMs: number }> {
  // A run's environment is the host's: the layout's variable goes there for the run.
  process.env[LAYOUT_ENV] = environmentPad(layout);
  try {
    const started = process.hrtime.bigint();
    const record = await (await ProfileRun.start({ file, args: [String(iterations), String(layout)] })).finished;
    return { programMs: record.durationMs, totalMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } finally {
    delete process.env[LAYOUT_ENV];
  }
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Linux's personality flag ADDR_NO_RANDOMIZE. */
const ADDR_NO_RANDOMIZE = 0x0040000;

/**
 * On Linux, the measurement runs in a copy of this script started with address-space
 * randomization off (`setarch -R`; the processes it starts inherit that). With it on, the
 * stack and heap land elsewhere in every run, which moves a run of this loop by up to ±5 %
 * and buries a 2 % target in noise; with it off, each layout runs the same every time, and
 * the paddings still vary the layout between pairs. Elsewhere, or without setarch, it
 * measures right here, with randomization on.
 */
export async function measureProfilerOverhead(): Promise<OverheadResult> {
  if (process.platform !== 'linux' || addressesFixed()) {
    return measureHere();
  }
  const fixed = await new Promise<OverheadResult | null>((resolve) =>
    execFile('setarch', ['-R', process.execPath, __filename], { maxBuffer: 1 << 20 }, (error, stdout) => {
      try {
        resolve(error ? null : (JSON.parse(stdout) as OverheadResult));
      } catch {
        resolve(null);
      }
    }),
  );
  return fixed ?? measureHere();
}

function addressesFixed(): boolean {
  try {
    return (parseInt(readFileSync('/proc/self/personality', 'utf8'), 16) & ADDR_NO_RANDOMIZE) !== 0;
  } catch {
    return false;
  }
}

async function measureHere(targetMs = 2000): Promise<OverheadResult> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-bench-')), 'cpu_bound.py');
  writeFileSync(file, PROGRAM);
  // Plain runs use the interpreter itself, as profiled runs do: a launcher such as a pyenv
  // shim in front of it would add its own start-up to the plain side only.
  const python = (await resolvePython()).executable;
  // Calibrate the fixed work so a plain run takes about targetMs (after a warm-up run).
  const probeIterations = 4_000_000;
  await runPlain(python, file, probeIterations, 0);
  const probeMs = await runPlain(python, file, probeIterations, 0);
  const iterations = Math.round((probeIterations * targetMs) / probeMs);
  // One profiled run first, unmeasured: it fills the bytecode cache a profiled run uses.
  await runProfiled(file, probeIterations, 0);

  const plain: number[] = [];
  const program: number[] = [];
  const total: number[] = [];
  const programRatios: number[][] = Array.from({ length: LAYOUTS }, () => []);
  const totalRatios: number[][] = Array.from({ length: LAYOUTS }, () => []);
  for (let pair = 0; pair < LAYOUTS * PAIRS_PER_LAYOUT; pair++) {
    const layout = pair % LAYOUTS;
    const plainMs = await runPlain(python, file, iterations, layout);
    const profiled = await runProfiled(file, iterations, layout);
    plain.push(plainMs);
    program.push(profiled.programMs);
    total.push(profiled.totalMs);
    // Each profiled run is compared with the plain run just before it, which saw the same noise.
    programRatios[layout].push(profiled.programMs / plainMs);
    totalRatios[layout].push(profiled.totalMs / plainMs);
  }
  const programRatioByLayout = programRatios.map(median);
  return {
    pairs: plain.length,
    layouts: LAYOUTS,
    plainMs: median(plain),
    profiledProgramMs: median(program),
    profiledTotalMs: median(total),
    programRatio: mean(programRatioByLayout),
    totalRatio: mean(totalRatios.map(median)),
    programRatioByLayout,
    fixedAddresses: addressesFixed(),
  };
}

// The copy started by measureProfilerOverhead: its result on stdout.
if (require.main === module) {
  void measureHere().then((result) => process.stdout.write(JSON.stringify(result)));
}
