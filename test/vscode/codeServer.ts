// Runs VS Code for tests on a machine that cannot download VS Code: code-server (VS Code
// in the browser, from npm) installed on demand into .cache/ by
// scripts/install-code-server.sh, with the extension installed from its .vsix.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { REPO_ROOT } from '../helpers/pythonPrograms';

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** The code-server binary, installed into the cache on first use (about a minute). */
export async function codeServerBinary(): Promise<string> {
  const prefix = (await run('bash', [path.join(REPO_ROOT, 'scripts', 'install-code-server.sh')])).trim().split('\n').pop() ?? '';
  return path.join(prefix, 'node_modules', '.bin', 'code-server');
}

export async function installExtension(binary: string, vsix: string, extensionsDir: string): Promise<void> {
  await run(binary, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force']);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  url: string;
  userDataDir: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  binary: string;
  extensionsDir: string;
  /** Environment for the server and so for the extension host it starts. */
  env?: NodeJS.ProcessEnv;
  /** False turns workspace trust on, so a folder opens untrusted. */
  disableWorkspaceTrust?: boolean;
  /** User settings on top of the quiet defaults. */
  settings?: Record<string, unknown>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const port = await freePort();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-code-server-'));
  // A quiet workbench: no welcome page or tips between the test and the editor.
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      ...options.settings,
    }),
  );
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--extensions-dir', options.extensionsDir,
    '--user-data-dir', userDataDir,
  ];
  if (options.disableWorkspaceTrust !== false) args.push('--disable-workspace-trust');
  const child: ChildProcess = spawn(options.binary, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`code-server did not start:\n${log}`);
    await delay(200);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    userDataDir,
    stop: async () => {
      // The server leads its own process group: end it with the extension hosts it started.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      await new Promise((resolve) => {
        child.once('exit', resolve);
        setTimeout(resolve, 5000).unref();
      });
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Packs a folder holding a package.json into a .vsix with vsce (no dependencies: bundles only). */
export async function packageVsix(folder: string, out: string): Promise<string> {
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  await run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out], { cwd: folder });
  return out;
}

let prepared: Promise<{ binary: string; extensionsDir: string }> | undefined;

/**
 * code-server with Parallel Lab (packed from this checkout) and the test-runner extension
 * installed: prepared once per test process, shared by every server the tests start.
 */
export function codeServerWithParallelLab(): Promise<{ binary: string; extensionsDir: string }> {
  prepared ??= (async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-vscode-'));
    const extensionsDir = path.join(work, 'extensions');
    mkdirSync(extensionsDir);
    const binary = await codeServerBinary();
    await installExtension(binary, await packageVsix(REPO_ROOT, path.join(work, 'parallel-lab.vsix')), extensionsDir);
    await installExtension(binary, await packageVsix(path.join(REPO_ROOT, 'test', 'integration', 'runner'), path.join(work, 'runner.vsix')), extensionsDir);
    return { binary, extensionsDir };
  })();
  return prepared;
}
