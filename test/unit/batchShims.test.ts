// Where cmd.exe would find pyenv-win's shims, on a folder layout like a Windows machine's
// (pyenv-win's shims folder holds python.bat, python3.bat and an extensionless `python`
// script for Git Bash), with Windows' PATH and PATHEXT handed in.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { batchShimOf, searchEnvironment, type SearchEnvironment } from '../../src/extension/engine/interpreter/batchShims';

describe('batchShimOf', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-shims-'));
  const shims = path.join(root, '.pyenv', 'pyenv-win', 'shims');
  const python311 = path.join(root, 'Python311');
  for (const [folder, names] of [[shims, ['python.bat', 'python3.bat', 'python']], [python311, ['python.exe']]] as const) {
    mkdirSync(folder, { recursive: true });
    for (const name of names) writeFileSync(path.join(folder, name), '');
  }

  function windows(pathList: string): SearchEnvironment {
    return { platform: 'win32', pathList, pathExt: '.COM;.EXE;.BAT;.CMD;.VBS;.JS', isFile: searchEnvironment().isFile };
  }

  it("finds pyenv-win's python.bat and python3.bat when the shims folder comes first on PATH", () => {
    assert.equal(batchShimOf('python', windows(`${shims};${python311}`)), path.join(shims, 'python.bat'));
    assert.equal(batchShimOf('python3', windows(`"${shims}";${python311}`)), path.join(shims, 'python3.bat'), 'a quoted PATH entry');
  });

  it('leaves an .exe that comes first, a name with its extension, and other platforms to Node', () => {
    assert.equal(batchShimOf('python', windows(`${python311};${shims}`)), undefined);
    assert.equal(batchShimOf('python.exe', windows(shims)), undefined);
    assert.equal(batchShimOf('py', windows(`${shims};${python311}`)), undefined, 'found nowhere');
    assert.equal(batchShimOf('python', { ...windows(shims), platform: 'linux' }), undefined);
  });

  it('takes a batch file named outright as it is', () => {
    const named = path.join(shims, 'python.bat');
    assert.equal(batchShimOf(named, windows('')), named);
  });
});
