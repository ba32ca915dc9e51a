// Exit lag: how much longer `parallel-lab run hi.py` takes than plain python for a program
// that only prints "hi", as whole processes timed from spawn to exit, the time a user waits
// for the shell prompt to come back. Python, the command line, and the command line's
// --help (Node start-up and loading the bundle, no run) are interleaved so that all three
// see the same machine noise.
//
// Part of `npm run bench`; alone: npm run build && npm run compile-tests && node out/bench/exitLagBench.js

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolvePython } from '../src/extension/engine/interpreter/pythonInterpreter';
import { median } from './measure';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const RUNS = 21;
export const EXIT_LAG_TARGET_MS = 300;

export interface ExitLagResult {
  runs: number;
  /** The interpreter both sides ran (python3's own executable, past any pyenv shim). */
  python: string;
  pythonMs: number;
  cliMs: number;
  /** `node dist/cli.js --help`: the floor of any command line invocation. */
  cliHelpMs: number;
  /** cliMs - pythonMs. */
  lagMs: number;
}

/** Wall time of one whole process, spawn to exit, its output discarded. */
function timeProcess(command: string, args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with code ${code}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

export async function measureExitLag(runs = RUNS): Promise<ExitLagResult> {
  // The same binary on both sides: through a pyenv shim, plain `python3` would pay for the
  // shim at every start while the command line remembers the interpreter it resolved.
  const python = (await resolvePython()).executable;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-exit-lag-')), 'hi.py');
  writeFileSync(file, 'print("hi")\n');
  const plain = (): Promise<number> => timeProcess(python, [file]);
  const profiled = (): Promise<number> => timeProcess(process.execPath, [CLI, 'run', file, '--python', python]);
  const help = (): Promise<number> => timeProcess(process.execPath, [CLI, '--help']);
  // Warm-up, not counted: the file cache, and the command line's interpreter and bytecode caches.
  await plain();
  await profiled();
  await help();
  const pythonMs: number[] = [];
  const cliMs: number[] = [];
  const cliHelpMs: number[] = [];
  for (let round = 0; round < runs; round++) {
    pythonMs.push(await plain());
    cliMs.push(await profiled());
    cliHelpMs.push(await help());
  }
  return { runs, python, pythonMs: median(pythonMs), cliMs: median(cliMs), cliHelpMs: median(cliHelpMs), lagMs: median(cliMs) - median(pythonMs) };
}

export function exitLagMarkdown(result: ExitLagResult): string[] {
  const met = result.lagMs <= EXIT_LAG_TARGET_MS;
  return [
    `## Exit lag (target: at most ${EXIT_LAG_TARGET_MS / 1000} s more than python)`,
    '',
    'A program that only does `print("hi")`, run as whole processes and timed from spawn to exit, as',
    `a user waits for the prompt: \`python hi.py\` and \`node dist/cli.js run hi.py\`, ${result.runs} of each,`,
    'interleaved, medians. Both run the same interpreter binary (`python3` resolved to its own',
    `executable, ${result.python}: through a pyenv shim the plain side alone would pay for the shim).`,
    'For scale, `node dist/cli.js --help`, interleaved too: Node starting and loading the command line, no run.',
    '',
    '| measure | python | parallel-lab run | difference | target |',
    '|---|---|---|---|---|',
    `| \`print("hi")\`, spawn to exit | ${result.pythonMs.toFixed(0)} ms | ${result.cliMs.toFixed(0)} ms | +${result.lagMs.toFixed(0)} ms | ${met ? 'met' : '**missed**'} |`,
    '',
    `\`node dist/cli.js --help\` takes ${result.cliHelpMs.toFixed(0)} ms: that much of the command line's time is Node and the bundle, before any run.`,
    '',
  ];
}

if (require.main === module) {
  measureExitLag().then(
    (result) => process.stdout.write(exitLagMarkdown(result).join('\n') + '\n'),
    (error: unknown) => {
      process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
