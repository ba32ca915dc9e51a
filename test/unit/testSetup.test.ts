// The set-up `npm test` does for itself (scripts/test-setup.mjs, its pretest), on the paths
// that change nothing on the machine: a user who is not root, told the one `sudo apt-get
// install` line, and a machine without apt-get, told how to run the browser suites. The
// machine's own state stays out of it: a PATH whose first folder holds stand-ins for
// dpkg-query (every package missing) and apt-get (fails if run at all).

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/pythonPrograms';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'test-setup.mjs');
// Found on the tests' own PATH: the runs below get a PATH of stand-ins.
const SETPRIV = (process.env.PATH ?? '').split(path.delimiter).map((folder) => path.join(folder, 'setpriv')).find((file) => existsSync(file)) ?? 'setpriv';

/** A world-readable folder of executable shell scripts, NAME → body. */
function stubFolder(stubs: Record<string, string>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-setup-'));
  chmodSync(folder, 0o755);
  for (const [name, body] of Object.entries(stubs)) {
    const file = path.join(folder, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return folder;
}

/** The script as a user who is not root: `nobody` when the tests run as root. */
function runUnprivileged(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const asRoot = process.getuid?.() === 0;
  const [command, args] = asRoot
    ? [SETPRIV, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, SCRIPT]]
    : [process.execPath, [SCRIPT]];
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env: { ...process.env, PARALLEL_LAB_SKIP_TEST_SETUP: '', ...env }, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

(process.platform === 'linux' ? describe : describe.skip)("npm test's own set-up (scripts/test-setup.mjs)", () => {
  it('as a user who is not root, with packages missing: one sentence with the sudo apt-get line, exit code 1, apt-get not run', () => {
    const stubs = stubFolder({ 'dpkg-query': 'exit 1', 'apt-get': 'echo "apt-get ran: $*" >&2; exit 99' });
    const result = runUnprivileged({ PATH: `${stubs}${path.delimiter}${process.env.PATH}` });
    assert.equal(
      result.stderr,
      'The tests need Debian packages that are not installed: run "sudo apt-get install -y procps util-linux locales iputils-ping chromium libkrb5-dev ripgrep python3 python3-joblib", then npm test again.\n',
    );
    assert.equal(result.stdout, '');
    assert.equal(result.status, 1);
  });

  it('without apt-get and without Chromium: says the browser suites will be skipped and names a browser it found, exit code 0', () => {
    const stubs = stubFolder({ 'google-chrome': 'exit 0' });
    const absent = path.join(stubs, 'no-chromium-here');
    assert.ok(!existsSync(absent));
    // PATH holds only the stand-in: no apt-get, no dpkg-query.
    const result = runUnprivileged({ PATH: stubs, PARALLEL_LAB_CHROMIUM: absent });
    assert.equal(
      result.stderr,
      `No Chromium at ${absent}, so the browser suites will be skipped; to run them with ${path.join(stubs, 'google-chrome')}, set PARALLEL_LAB_CHROMIUM to that path.\n`,
    );
    assert.equal(result.status, 0);
  });

  it('without apt-get, with no browser at all: says what to install, exit code 0', () => {
    const stubs = stubFolder({});
    const absent = path.join(stubs, 'no-chromium-here');
    const result = runUnprivileged({ PATH: stubs, PARALLEL_LAB_CHROMIUM: absent });
    assert.equal(
      result.stderr,
      `No Chromium at ${absent}, so the browser suites will be skipped; to run them, install Chromium or Chrome (on macOS: brew install --cask chromium) and set PARALLEL_LAB_CHROMIUM to its executable.\n`,
    );
    assert.equal(result.status, 0);
  });

  it('PARALLEL_LAB_SKIP_TEST_SETUP=1 leaves the machine as it is, silently', () => {
    const stubs = stubFolder({ 'dpkg-query': 'exit 1', 'apt-get': 'exit 99' });
    const result = runUnprivileged({ PATH: `${stubs}${path.delimiter}${process.env.PATH}`, PARALLEL_LAB_SKIP_TEST_SETUP: '1' });
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
  });
});
