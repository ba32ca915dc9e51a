// Loaded inside code-server's extension host by the test runner extension (in place of the
// integration suite): times Parallel Lab's activation, code loading included, from a window
// where nothing has activated it yet.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('parallel-lab.parallel-lab');
  const result = { activationMs: Number.NaN, wasActive: extension?.isActive ?? false };
  if (extension && !extension.isActive) {
    const started = performance.now();
    await extension.activate();
    result.activationMs = performance.now() - started;
  }
  writeFileSync(process.env.PARALLEL_LAB_SUITE_RESULTS ?? '', JSON.stringify(result));
}
