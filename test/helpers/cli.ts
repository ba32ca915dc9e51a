// Runs the built `parallel-lab` command line (dist/cli.js) as a user would.

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './pythonPrograms';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The same output as written, byte for byte. */
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  elapsedMs: number;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Piped into the CLI's stdin, then end-of-file; without it stdin is /dev/null. */
  input?: string | Buffer;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(options.input);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const stdoutBytes = Buffer.concat(stdout);
      const stderrBytes = Buffer.concat(stderr);
      resolve({ code, stdout: stdoutBytes.toString(), stderr: stderrBytes.toString(), stdoutBytes, stderrBytes, elapsedMs: Date.now() - started });
    });
  });
}
