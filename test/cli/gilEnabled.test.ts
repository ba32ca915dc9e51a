// The record says whether the run's Python has its GIL (python.gilEnabled): what
// sys._is_gil_enabled() answers where it exists (3.13+), true before. No free-threaded build
// (3.13t) can be installed here, so the answer false is reached through a sitecustomize that
// makes sys._is_gil_enabled() answer it: the interpreter probe itself runs as it would there.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';

const HELLO = writeProgram('gil_hello.py', 'print("hello")\n');

async function recordOf(python: string, env: NodeJS.ProcessEnv = {}): Promise<RunRecord> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-gil-'));
  const json = path.join(folder, 'run.json');
  // A fresh cache: the probe must run, not answer from an earlier run's entry.
  const result = await runCli(['run', HELLO, '--python', python, '--quiet', '--json', json], {
    env: { ...process.env, XDG_CACHE_HOME: path.join(folder, 'cache'), ...env },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'hello\n');
  return JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
}

describe('python.gilEnabled in the run record', function () {
  this.timeout(60_000);

  itWithPython('3.8', 'is true on Python 3.8, which has no sys._is_gil_enabled', async (python) => {
    assert.equal((await recordOf(python)).python.gilEnabled, true);
  });

  itWithPython('3.13', 'is what sys._is_gil_enabled() says on Python 3.13', async (python) => {
    assert.equal((await recordOf(python)).python.gilEnabled, true);
  });

  itWithPython('3.13', 'is false where sys._is_gil_enabled() answers false, as on a free-threaded build', async (python) => {
    const site = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-nogil-site-'));
    writeFileSync(path.join(site, 'sitecustomize.py'), 'import sys\nsys._is_gil_enabled = lambda: False\n');
    assert.equal((await recordOf(python, { PYTHONPATH: site })).python.gilEnabled, false);
  });
});
