import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeJsonFile } from '../../src/extension/engine/storage/jsonFile';
import { LockEventColumns } from '../../src/extension/engine/record/lockEventColumns';

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

  it('writes lock-event columns as the array of objects a record file has', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-json-')), 'record.json');
    const columns = new LockEventColumns();
    const events = Array.from({ length: 25_001 }, (_, i) => ({ lock: 'L', pid: 3, tid: 4, requestMs: i, acquiredMs: i === 7 ? null : i + 1, releasedMs: i + 2, site: null }));
    for (const event of events) columns.push(event);
    await writeJsonFile(file, { schema: 'x', lockEvents: columns, after: 1 });
    assert.equal(readFileSync(file, 'utf8'), JSON.stringify({ schema: 'x', lockEvents: events, after: 1 }));
  });
});
