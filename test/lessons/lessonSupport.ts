// What the lesson tests share: running a sample of samples/ under the engine, and the few
// figures they read from its record.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProcessEntry, RunRecord, StartMethod } from '../../src/shared/runRecord';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { SAMPLES_DIR } from '../helpers/pythonPrograms';
import { assertEveryLineAccepted, withEventArray } from '../helpers/records';

/** The sampler interval the lesson runs use, so that tests can tell whole ticks apart. */
export const SAMPLE_INTERVAL_MS = 100;

/** Profiles samples/<relativeFile> and checks that it ran to its end. */
export async function runSample(relativeFile: string, options: { startMethod?: StartMethod; expectExitCode?: number } = {}): Promise<RunRecord> {
  const run = await ProfileRun.start({
    file: path.join(SAMPLES_DIR, relativeFile),
    startMethod: options.startMethod,
    intervalMs: SAMPLE_INTERVAL_MS,
    timeoutMs: 30_000,
  });
  const record = await run.finished;
  assert.equal(record.outcome, 'exited', `${relativeFile} ran to its end`);
  assert.equal(record.exitCode, options.expectExitCode ?? 0, `${relativeFile} exit code; stderr:\n${record.stderr}`);
  assertEveryLineAccepted(record);
  return withEventArray(record);
}

export function lessonText(relativeFile: string): string {
  return readFileSync(path.join(SAMPLES_DIR, relativeFile), 'utf8');
}

export function mainOf(record: RunRecord): ProcessEntry {
  const main = record.processes.filter((p) => p.role === 'main');
  assert.equal(main.length, 1, 'one main process');
  return main[0];
}

export function withRole(record: RunRecord, role: ProcessEntry['role']): ProcessEntry[] {
  return record.processes.filter((p) => p.role === role);
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** The value below which a fraction `q` of `values` lie (linear between neighbours). */
export function quantile(values: number[], q: number): number {
  assert.ok(values.length > 0, 'a quantile needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The number printed after `label` in the program's output, e.g. `numberAfter(out, "threads:")`. */
export function numberAfter(stdout: string, label: string): number {
  const match = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*([\\d.]+)`).exec(stdout);
  assert.ok(match, `the output has "${label}" followed by a number:\n${stdout}`);
  return Number(match[1]);
}
