// The Python packages the host injects (runtimes/python) import each other in one direction
// only, counting the imports made inside functions (test/python/import_cycles.py).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'test/python/import_cycles.py');

function importCycles(folder: string): string[] {
  const cycles = JSON.parse(execFileSync('python3', [SCRIPT, folder], { encoding: 'utf8' })) as string[][];
  return cycles.map((cycle) => cycle.join(' → '));
}

describe('Python imports', () => {
  it('the tracer and the scaling harness have no import cycle', () => {
    const cycles = importCycles(path.join(ROOT, 'runtimes/python'));
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  it('names a cycle closed by an import inside a function', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-pycycles-'));
    try {
      mkdirSync(path.join(dir, 'pkg/sub'), { recursive: true });
      writeFileSync(path.join(dir, 'pkg/__init__.py'), '');
      writeFileSync(path.join(dir, 'pkg/sub/__init__.py'), '');
      writeFileSync(path.join(dir, 'pkg/sub/state.py'), 'from .. import clock\nfrom . import roles\n');
      writeFileSync(path.join(dir, 'pkg/sub/roles.py'), 'def partner():\n    from .state import now\n    return now\n');
      writeFileSync(path.join(dir, 'pkg/clock.py'), 'import pkg.sub\n');
      assert.deepEqual(importCycles(dir), [
        'pkg.sub.roles → pkg.sub.state (pkg/sub/roles.py:2) → pkg.sub.roles (pkg/sub/state.py:2)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
