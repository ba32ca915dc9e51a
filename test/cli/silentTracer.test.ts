// A run the tracer never reported from gets a warning that says why, and nothing else changes.
// The interpreter is what Windows' embeddable Python is: one whose ._pth file lists the only
// paths it uses, so PYTHONPATH, and the tracer's sitecustomize on it, are ignored
// (._pth files work on Linux from Python 3.11).

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';

const PROGRAM = writeProgram('greet.py', 'import sys\nprint("hello from", sys.argv[1])\nsys.stderr.write("bye\\n")\nsys.exit(3)\n');
const SILENT = /Nothing arrived from Parallel Lab's tracer/;

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-silent-'));
}

async function profile(python: string): Promise<{ stdout: string; stderr: string; code: number | null; record: RunRecord }> {
  const json = path.join(tempDir(), 'run.json');
  const result = await runCli(['run', PROGRAM, '--python', python, '--json', json, '--', 'x']);
  return { ...result, record: JSON.parse(readFileSync(json, 'utf8')) as RunRecord };
}

if (process.platform === 'linux') {
  describe('parallel-lab run with an interpreter that does not load the tracer', function () {
    this.timeout(90_000);
    let embeddable: string;

    before(() => {
      const version = execFileSync(DEFAULT_PYTHON, ['-c', 'import sys; print(sys.version_info >= (3, 11))']).toString().trim();
      assert.equal(version, 'True', `${DEFAULT_PYTHON} must be Python 3.11+ for a ._pth file to work on Linux`);
      const venv = path.join(tempDir(), 'embeddable');
      execFileSync(DEFAULT_PYTHON, ['-m', 'venv', '--copies', '--without-pip', venv], { stdio: 'pipe' });
      embeddable = path.join(venv, 'bin', 'python');
      // The standard library's folders, as an embeddable distribution's ._pth lists them.
      const stdlib = execFileSync(DEFAULT_PYTHON, ['-I', '-S', '-c', 'import sys; print("\\n".join(p for p in sys.path if p))']).toString();
      writeFileSync(`${embeddable}._pth`, `${stdlib}#import site\n`);
    });

    it("warns in the summary and the record, and leaves the program's output and exit code alone", async () => {
      const plain = spawnSync(embeddable, [PROGRAM, 'x'], { cwd: path.dirname(PROGRAM) });
      const run = await profile(embeddable);
      assert.equal(run.code, 3, 'the exit code is the program\'s');
      assert.equal(plain.status, 3);
      assert.ok(run.stdout.startsWith(plain.stdout.toString()), `the output as plain python gives it: ${run.stdout}`);
      assert.equal(run.record.stdout, 'hello from x\n');
      assert.equal(run.stderr, plain.stderr.toString());
      assert.equal(run.record.events.received, 0, 'the tracer really stayed out');
      assert.ok(run.record.warnings.some((warning) => SILENT.test(warning)), JSON.stringify(run.record.warnings));
      assert.match(run.stdout, /Warnings\n {2}- Nothing arrived from Parallel Lab's tracer.*\._pth file/);
    });

    it('says nothing of the kind when the tracer reported', async () => {
      const run = await profile(DEFAULT_PYTHON);
      assert.equal(run.code, 3);
      assert.ok(run.record.events.received > 0);
      assert.ok(!run.record.warnings.some((warning) => SILENT.test(warning)), JSON.stringify(run.record.warnings));
      assert.doesNotMatch(run.stdout, SILENT);
    });
  });
}
