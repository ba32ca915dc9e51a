// `npm run package` as a publisher runs it: a production build and vsce, with no warning
// (vsce's, or esbuild's), and a .vsix that holds what the extension needs and nothing of
// the sources or the tests. Run in a copy of the checkout, so that the production build
// does not replace the bundles the other tests use.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';

/** Not copied: what is made, installed or cached (node_modules is linked instead). */
const LEFT_OUT = new Set(['.git', 'node_modules', '.cache', 'dist', 'out', 'test-artifacts']);

/** The names in a zip file, read with Python's zipfile (no unzip needed). */
function zipNames(file: string): string[] {
  const script = 'import sys, zipfile, json; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return JSON.parse(execFileSync(DEFAULT_PYTHON, ['-c', script, file], { encoding: 'utf8' })) as string[];
}

function zipText(file: string, name: string): string {
  const script = 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))';
  return execFileSync(DEFAULT_PYTHON, ['-c', script, file, name], { encoding: 'utf8' });
}

describe('npm run package (the Marketplace .vsix)', function () {
  this.timeout(180_000);
  let copy: string;
  let output: string;
  let vsix: string;

  before(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-package-'));
    cpSync(REPO_ROOT, copy, {
      recursive: true,
      filter: (source) => !(path.dirname(source) === REPO_ROOT && LEFT_OUT.has(path.basename(source))) && !source.endsWith('.vsix'),
    });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', 'package'], { cwd: copy, encoding: 'utf8', shell: process.platform === 'win32', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, `npm run package failed:\n${output}`);
    vsix = path.join(copy, 'parallel-lab.vsix');
  });

  after(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('prints no warning', () => {
    const warnings = output.split('\n').filter((line) => /warn/i.test(line));
    assert.deepEqual(warnings, [], `the output:\n${output}`);
    assert.match(output, /DONE\s+Packaged: parallel-lab\.vsix/);
  });

  it('holds the icon, the changelog, the bundles, the tracer and the lessons, and no sources or tests', () => {
    const names = zipNames(vsix);
    for (const name of [
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/media/icon.png',
      'extension/dist/extension.js',
      'extension/dist/webview.js',
      'extension/runtimes/python/sitecustomize.py',
      'extension/samples/lessons.json',
    ]) {
      assert.ok(names.includes(name), `${name} is in the .vsix: ${names.join(' ')}`);
    }
    const unwanted = names.filter((name) => /^extension\/(test|src|out|node_modules|bench|scripts|media\/screenshots|\.cache|\.github|\.ci)\//.test(name) || /\.(ts|map|vsix)$/.test(name) || /__pycache__|\.pyc$/.test(name));
    assert.deepEqual(unwanted, [], 'no sources, tests, source maps, caches or README screenshots');
    assert.match(zipText(vsix, 'extension.vsixmanifest'), /<Icon>extension\/media\/icon\.png<\/Icon>/, 'the manifest names the icon');
    const size = statSync(vsix).size;
    assert.ok(size < 1_000_000, `the .vsix is ${size} bytes`);
  });
});
