// Output and the interpreter probe where Python's own encoding is not UTF-8, as on Windows
// (pipes in the ANSI code page). Simulated for real on Linux: a generated Latin-1 locale
// with UTF-8 mode off, and an interpreter (a venv) in a folder named Zoë.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli, type CliResult } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';

const CHECKMARK = writeProgram('checkmark.py', 'import os\nprint("PYTHONIOENCODING=%s" % os.environ.get("PYTHONIOENCODING"))\nprint("✓ Zoë")\n');
const ACCENT = writeProgram('accent.py', 'import os\nprint("PYTHONIOENCODING=%s" % os.environ.get("PYTHONIOENCODING"))\nprint("Zoë")\n');

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The environment without a learner's encoding settings, with a fresh cache so the probe really runs. */
function baseEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: tempDir('parallel-lab-cache-') };
  delete env.PYTHONIOENCODING;
  delete env.PYTHONUTF8;
  return { ...env, ...overrides };
}

async function run(python: string, program: string, env: NodeJS.ProcessEnv): Promise<{ result: CliResult; record: RunRecord }> {
  const json = path.join(tempDir('parallel-lab-enc-'), 'run.json');
  const result = await runCli(['run', program, '--python', python, '--quiet', '--json', json], { env });
  assert.equal(result.code, 0, result.stderr);
  return { result, record: JSON.parse(readFileSync(json, 'utf8')) as RunRecord };
}

if (process.platform === 'linux') {
  describe('parallel-lab run where Python does not write UTF-8 by itself (Windows, simulated)', function () {
    this.timeout(90_000);
    let latin1: NodeJS.ProcessEnv;
    let zoePython: string;

    before(() => {
      const root = tempDir('parallel-lab-platform-');
      // A missing localedef (Debian package `locales`) fails here, loudly: the test needs it.
      const locales = path.join(root, 'locales');
      mkdirSync(locales);
      execFileSync('localedef', ['-i', 'en_US', '-f', 'ISO-8859-1', path.join(locales, 'en_US.ISO-8859-1')], { stdio: 'pipe' });
      latin1 = { LOCPATH: locales, LC_ALL: 'en_US.ISO-8859-1', PYTHONUTF8: '0' };
      zoePython = path.join(root, 'Zoë', 'venv', 'bin', 'python');
      execFileSync(DEFAULT_PYTHON, ['-m', 'venv', '--without-pip', path.join(root, 'Zoë', 'venv')], { stdio: 'pipe' });

      // The simulation holds: Latin-1 is the interpreter's encoding, and under plain python
      // the program fails as it does on Windows.
      const encoding = execFileSync(zoePython, ['-c', 'import locale; print(locale.getpreferredencoding(False))'], { env: baseEnv(latin1) });
      assert.equal(encoding.toString().trim(), 'ISO-8859-1');
      const plain = spawnSync(zoePython, [CHECKMARK], { env: baseEnv(latin1) });
      assert.notEqual(plain.status, 0);
      assert.match(plain.stderr.toString(), /UnicodeEncodeError: 'latin-1' codec can't encode character '\\u2713'/);
    });

    it('prints ✓ Zoë as UTF-8 and finds the interpreter under Zoë/, probed and then from its cache', async () => {
      const env = baseEnv(latin1);
      for (const attempt of ['probed', 'cached']) {
        const { result, record } = await run(zoePython, CHECKMARK, env);
        assert.deepEqual(result.stdoutBytes, Buffer.from('PYTHONIOENCODING=utf-8\n✓ Zoë\n'), `${attempt}: ${result.stdout}`);
        assert.equal(result.stderr, '');
        assert.equal(record.python.executable, zoePython, `${attempt}: the path with Zoë intact`);
        assert.equal(record.stdout, 'PYTHONIOENCODING=utf-8\n✓ Zoë\n');
        const cache = readFileSync(path.join(env.XDG_CACHE_HOME ?? '', 'parallel-lab', 'interpreters.json'), 'utf8');
        assert.match(cache, /"stdioEncoding":"iso8859-1"/);
      }
    });

    it("keeps the learner's own PYTHONIOENCODING or PYTHONUTF8=1", async () => {
      // In a UTF-8 locale, so the probe's own output would be garbled if it took their latin-1.
      const chosen = await run(zoePython, ACCENT, baseEnv({ PYTHONIOENCODING: 'latin-1' }));
      assert.deepEqual(chosen.result.stdoutBytes, Buffer.from('PYTHONIOENCODING=latin-1\nZo\xeb\n', 'latin1'), 'Latin-1 bytes, as they asked');
      assert.equal(chosen.record.python.executable, zoePython, 'the probe answers in UTF-8 whatever the learner chose');

      const utf8Mode = await run(zoePython, CHECKMARK, baseEnv({ ...latin1, PYTHONUTF8: '1' }));
      assert.deepEqual(utf8Mode.result.stdoutBytes, Buffer.from('PYTHONIOENCODING=None\n✓ Zoë\n'), 'UTF-8 mode writes UTF-8 by itself');
    });

    it("runs the scaling lab on a function that prints ✓ (the harness's runs are runs too)", async () => {
      const file = writeProgram('tick.py', 'def tick(x):\n    print("✓", x)\n    return x\n');
      const result = await runCli(['scale', `${file}:tick`, '--inputs', 'range(2)', '--max-workers', '1', '--python', zoePython], { env: baseEnv(latin1) });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /Verdict/);
    });

    it('adds nothing where Python writes UTF-8 by itself', async () => {
      const { result } = await run(zoePython, CHECKMARK, baseEnv({ LC_ALL: 'C.UTF-8' }));
      assert.deepEqual(result.stdoutBytes, Buffer.from('PYTHONIOENCODING=None\n✓ Zoë\n'));
    });
  });
}
