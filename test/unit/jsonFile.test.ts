import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeJsonFile } from '../../src/extension/engine/jsonFile';

describe('writeJsonFile', () => {
  it('writes what JSON.stringify would, arrays in chunks, with no temporary file left', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-json-'));
    const file = path.join(dir, 'doc.json');
    const document = {
      schema: 'x',
      empty: [],
      big: Array.from({ length: 25_001 }, (_, i) => ({ i, s: `line\u2028${i}` })),
      nested: { a: [1, 2], b: null },
      skipped: undefined,
    };
    await writeJsonFile(file, document);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(document)));
    assert.equal(readFileSync(file, 'utf8'), JSON.stringify(document));
    assert.deepEqual(existsSync(`${file}.${process.pid}.tmp`), false);
  });
});
