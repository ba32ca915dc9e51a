import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRecord, RunStore } from '../../src/extension/engine/storage/runStore';
import { emptyRecord } from '../helpers/records';

describe('RunStore', () => {
  it('saves records, lists them newest first, keeps only the newest N, and skips foreign files', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-store-'));
    const store = new RunStore(folder, () => 2);
    writeFileSync(path.join(folder, 'junk.run.json'), 'not json');
    for (const [i, second] of ['01', '02', '03'].entries()) {
      await store.save(emptyRecord({ file: `/x/lesson${i}.py`, startedAt: `2026-01-01T00:00:${second}.000Z` }));
    }
    const runs = await store.list();
    assert.deepEqual(runs.map((run) => run.file), ['/x/lesson2.py', '/x/lesson1.py']);
    assert.equal(readdirSync(folder).filter((name) => name.includes('lesson0')).length, 0, 'the oldest was pruned');
    assert.equal((await loadRecord(runs[0].path)).file, '/x/lesson2.py');
  });

  it('says clearly when a file is not a run record', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-store-')), 'other.json');
    writeFileSync(file, '{"hello": 1}');
    await assert.rejects(loadRecord(file), /other\.json is not a Parallel Lab run record/);
  });
});
