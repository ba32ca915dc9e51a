// Writes small Python programs into a fresh temporary folder for a test to run.

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');

/** Writes `source` (dedented) to NAME in a new temp folder and returns its path. */
export function writeProgram(name: string, source: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, dedent(source));
  return file;
}

function dedent(source: string): string {
  const lines = source.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}
