import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { describeCycle, findImportCycles, projectFiles } from '../helpers/importCycles';

const ROOT = path.resolve(__dirname, '../../..');

describe('import cycles', () => {
  it('src/, test/ and bench/ import each other in one direction only, type imports included', () => {
    const { files, options } = projectFiles(path.join(ROOT, 'tsconfig.json'));
    const cycles = findImportCycles(files, options).map((found) => describeCycle(found, ROOT));
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  describe('on small trees', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-cycles-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const cyclesIn = (sources: Record<string, string>): string[] => {
      for (const [name, text] of Object.entries(sources)) writeFileSync(path.join(dir, name), text);
      const files = Object.keys(sources).map((name) => path.join(dir, name));
      const options = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
      return findImportCycles(files, options).map((found) => describeCycle(found, dir));
    };

    it('names a cycle closed only through `import type`', () => {
      const cycles = cyclesIn({
        'reading.ts': "import type { Table } from './table';\nexport interface Reading { table: Table }\n",
        'table.ts': "import type { Reading } from './reading';\nexport class Table { last?: Reading }\n",
      });
      assert.deepEqual(cycles, ['reading.ts → table.ts → reading.ts']);
    });

    it('follows `export ... from`, `import()` types and dynamic imports', () => {
      const cycles = cyclesIn({
        'a.ts': "export type { B } from './b';\nexport interface A { n: number }\n",
        'b.ts': "export type B = import('./c').C;\n",
        'c.ts': "export type C = number;\nexport const load = () => import('./a');\n",
      });
      assert.deepEqual(cycles, ['a.ts → b.ts → c.ts → a.ts']);
    });

    it('finds none in a tree', () => {
      const cycles = cyclesIn({
        'leaf.ts': 'export type Leaf = string;\n',
        'one.ts': "import type { Leaf } from './leaf';\nexport const one: Leaf = '1';\n",
        'two.ts': "import { one } from './one';\nimport type { Leaf } from './leaf';\nexport const two: Leaf = one + one;\n",
      });
      assert.deepEqual(cycles, []);
    });
  });
});
