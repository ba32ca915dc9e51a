// The scaling lab with a Python that hides the files it creates in TEMP from the host, as the
// Microsoft Store's Python does (it redirects them to a folder of its own package). Simulated
// for real here: the interpreter is a wrapper that runs Python in a mount namespace of its
// own, with an overlay on each scaling-lab folder in TEMP whose new files go to a private
// folder; Python sees them, the host does not. The lab must still get every mode's report.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pythonRuntimeDir } from '../../src/extension/engine/run/profileRun';
import { harnessFile } from '../../src/extension/engine/scaling/harnessRun';
import { runScalingLab } from '../../src/extension/engine/scaling/scalingLab';
import { writeProgram } from '../helpers/pythonPrograms';

/** Mount namespaces and overlays need privileges that a CI runner or a laptop may not grant. */
function canMountOverlays(): boolean {
  return spawnSync('unshare', ['-m', 'true']).status === 0;
}

/**
 * A venv-shaped folder whose bin/python redirects new files in TEMP's scaling-lab folders to
 * PRIVATE/<folder>/upper. `exec -a` keeps the wrapper's path as sys.executable (the venv's
 * pyvenv.cfg finds the standard library), so the engine runs the wrapper, as it would run
 * the Store's python.exe.
 */
function storeLikePython(dir: string, privateDir: string): string {
  const base = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'pyvenv.cfg'), `home = ${path.dirname(base)}\ninclude-system-site-packages = false\n`);
  const wrapper = path.join(dir, 'bin', 'python');
  writeFileSync(
    wrapper,
    `#!/bin/bash
exec unshare -m bash -c '
  shopt -s nullglob
  mount --make-rprivate /
  for dir in "\${TMPDIR:-/tmp}"/parallel-lab-scale-*; do
    private="${privateDir}/$(basename "$dir")"
    mkdir -p "$private/upper" "$private/work"
    mount -t overlay overlay -o "lowerdir=$dir,upperdir=$private/upper,workdir=$private/work" "$dir"
  done
  exec -a "$0" ${base} "$@"' "$0" "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

describe('scaling lab with a Python that hides its files in TEMP (like the Microsoft Store\'s)', function () {
  this.timeout(120_000);

  it('gets every mode\'s report over the event channel, and the modes still compare results', async function () {
    if (!canMountOverlays()) this.skip(); // needs a mount namespace (root or user namespaces)
    const file = writeProgram('squares.py', `
      def square(n):
          return n * n
    `);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-store-'));
    const privateDir = path.join(folder, 'private');
    try {
      const python = storeLikePython(path.join(folder, 'store-python'), privateDir);
      const { result } = await runScalingLab({ file, functionName: 'square', inputs: 'range(8)', maxWorkers: 1, python });
      assert.deepEqual(
        result.modes.map((mode) => [mode.mode, mode.workers, mode.wallMs > 0, mode.resultsMatch]),
        [['sequential', 1, true, true], ['threads', 1, true, true], ['processes', 1, true, true], ['processes', 2, true, true]],
      );
      assert.equal(result.items, 8);
      assert.deepEqual(result.breakdown.map((entry) => entry.workers), [1, 2]);
      // The simulation was in force: the sequential run's results went to the private folder
      // only (the later modes read them there), and nothing else was written.
      const written = readdirSync(privateDir).flatMap((lab) => readdirSync(path.join(privateDir, lab, 'upper')));
      assert.deepEqual(written, ['sequential-results.pickle']);
    } finally {
      if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the scaling lab\'s harness without an event channel', () => {
  it('says that its report could not be sent, and exits with 2', () => {
    const file = writeProgram('squares.py', `
      def square(n):
          return n * n
    `);
    const results = path.join(path.dirname(file), 'results.pickle');
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: pythonRuntimeDir() };
    delete env.PARALLEL_LAB_SOCKET;
    const run = spawnSync('python3', [harnessFile(), '--file', file, '--function', 'square', '--inputs', 'range(3)', '--mode', 'sequential', '--results', results], { env, encoding: 'utf8' });
    assert.equal(run.stderr, 'The scaling lab could not send its report to Parallel Lab: this Python has no open connection to it.\n');
    assert.equal(run.status, 2);
  });
});
