// The set-up `npm test` does for itself (its `pretest`), so that `npm install && npm test`
// works on a fresh machine. Quiet when there is nothing to do.
//
// On Debian (apt-get present):
//   - the Debian packages the tests use: Chromium for the panel, report and VS Code UI tests;
//     libkrb5-dev and ripgrep for code-server; util-linux's unshare and nsenter, localedef
//     (locales), ping (iputils-ping) and ps (procps) for the platform simulations; Debian's
//     python3 with python3-joblib. As root, the missing ones are installed (`apt-get update`
//     only when something is missing). As another user, one sentence gives the
//     `sudo apt-get install` line and the tests stop (exit code 1).
//   - code-server (VS Code in the browser) into .cache/, by scripts/install-code-server.sh.
// Elsewhere (macOS, Windows): nothing is installed. The suites that need Debian's Chromium or
// code-server are skipped there, the reason in their titles (test/helpers/platformParts.ts);
// if no Chromium is at PARALLEL_LAB_CHROMIUM (default /usr/bin/chromium) one line says which
// browser found on the machine could run them, or what to install.
//
// PARALLEL_LAB_SKIP_TEST_SETUP=1 leaves the machine as it is (.github/workflows/platforms.yml:
// GitHub's Ubuntu runner is not Debian, and its suites skip as on macOS).

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEBIAN_PACKAGES = ['procps', 'util-linux', 'locales', 'iputils-ping', 'chromium', 'libkrb5-dev', 'ripgrep', 'python3', 'python3-joblib'];
const CHROMIUM = process.env.PARALLEL_LAB_CHROMIUM ?? '/usr/bin/chromium';

/** The first executable called `name` on PATH, as `command -v` finds it. */
function onPath(name) {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function installed(pkg) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return query.status === 0 && /\binstall ok installed\b/.test(query.stdout);
}

/** Runs a command with its output kept back, shown only if it fails. */
function quietly(command, args, env = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env, cwd: ROOT, maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.stderr.write(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`}).\n`);
    process.exit(1);
  }
}

function debianSetup() {
  const missing = DEBIAN_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      process.stderr.write(`The tests need Debian packages that are not installed: run "sudo apt-get install -y ${missing.join(' ')}", then npm test again.\n`);
      process.exit(1);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    quietly('apt-get', ['update', '-qq'], env);
    quietly('apt-get', ['install', '-y', '-qq', ...missing], env);
  }
  // About a minute the first time (npm work); a no-op once it is in .cache/.
  quietly('bash', [path.join(ROOT, 'scripts', 'install-code-server.sh')]);
}

/** Elsewhere: say once if the browser suites will be skipped, and how to run them. */
function browserNote() {
  if (existsSync(CHROMIUM)) return;
  const candidates = [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ];
  const found = candidates.find((candidate) => existsSync(candidate)) ?? ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].map(onPath).find(Boolean);
  process.stderr.write(
    found
      ? `No Chromium at ${CHROMIUM}, so the browser suites will be skipped; to run them with ${found}, set PARALLEL_LAB_CHROMIUM to that path.\n`
      : `No Chromium at ${CHROMIUM}, so the browser suites will be skipped; to run them, install Chromium or Chrome (on macOS: brew install --cask chromium) and set PARALLEL_LAB_CHROMIUM to its executable.\n`,
  );
}

if (process.env.PARALLEL_LAB_SKIP_TEST_SETUP === '1') process.exit(0);
if (process.platform === 'linux' && onPath('apt-get') && onPath('dpkg-query')) debianSetup();
else browserNote();
