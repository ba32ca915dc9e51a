// The extension's own costs: activation time in a real VS Code (code-server, the extension
// installed from its .vsix) and the .vsix size.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from '../test/helpers/browser';
import { codeServerBinary, installExtension, packageVsix, startCodeServer } from '../test/vscode/codeServer';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ExtensionCosts {
  vsixBytes: number;
  activationMs: number[];
}

async function timeActivation(binary: string, extensionsDir: string): Promise<number> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-activation-'));
  const resultsFile = path.join(work, 'activation.json');
  const server = await startCodeServer({
    binary,
    extensionsDir,
    env: { PARALLEL_LAB_SUITE: path.join(__dirname, 'activationProbe.js'), PARALLEL_LAB_SUITE_RESULTS: resultsFile },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // An empty folder: no Python file, so nothing activates Parallel Lab before the probe.
    await page.goto(`${server.url}/?folder=${encodeURIComponent(work)}`);
    const deadline = Date.now() + 120_000;
    while (!existsSync(resultsFile) && Date.now() < deadline) await page.waitForTimeout(250);
    const result = JSON.parse(readFileSync(resultsFile, 'utf8')) as { activationMs: number; wasActive: boolean };
    if (result.wasActive) throw new Error('Parallel Lab was already active; the probe could not time its activation.');
    return result.activationMs;
  } finally {
    await browser.close();
    await server.stop();
  }
}

export async function measureExtensionCosts(runs = 3): Promise<ExtensionCosts> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-extension-bench-'));
  const extensionsDir = path.join(work, 'extensions');
  mkdirSync(extensionsDir);
  const vsix = await packageVsix(REPO_ROOT, path.join(work, 'parallel-lab.vsix'));
  const binary = await codeServerBinary();
  await installExtension(binary, vsix, extensionsDir);
  await installExtension(binary, await packageVsix(path.join(REPO_ROOT, 'test', 'integration', 'runner'), path.join(work, 'runner.vsix')), extensionsDir);
  const activationMs: number[] = [];
  for (let i = 0; i < runs; i++) activationMs.push(await timeActivation(binary, extensionsDir));
  return { vsixBytes: statSync(vsix).size, activationMs };
}
