import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTopLevelFields } from '../../src/extension/engine/storage/topLevelFields';

function fileWith(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-fields-')), 'doc.json');
  writeFileSync(file, text);
  return file;
}

describe('readTopLevelFields', () => {
  it('finds the top-level fields past nested ones of the same name, strings with brackets, and chunk ends', async () => {
    const long = 'x'.repeat(200_000);
    const text = JSON.stringify({
      argv: ['a"}{,', ']', '\\'],
      processes: [{ file: 'nested.py', samples: [[1, 2], { outcome: 'no' }] }],
      'odd \u00e9 "key"': long,
      file: `/runs/${long}\u00e9.py`,
      exitCode: null,
      outcome: 'exited',
    }, null, 1);
    const fields = await readTopLevelFields(fileWith(text), ['file', 'outcome', 'exitCode', 'odd \u00e9 "key"', 'missing']);
    assert.deepEqual(fields, new Map<string, unknown>([
      ['odd \u00e9 "key"', long],
      ['file', `/runs/${long}\u00e9.py`],
      ['exitCode', null],
      ['outcome', 'exited'],
    ]));
  });

  it('stops reading once it has them: what follows is never parsed', async () => {
    const events = Array(20_000).fill('{"lock": "L"}').join(',');
    const fields = await readTopLevelFields(fileWith(`{"schema": "s", "durationMs": 12.5, "lockEvents": [${events}], this is not JSON`), ['schema', 'durationMs']);
    assert.deepEqual(fields, new Map<string, unknown>([['schema', 's'], ['durationMs', 12.5]]));
  });

  it('gives null for a file that is not a JSON object', async () => {
    assert.equal(await readTopLevelFields(fileWith('not json'), ['schema']), null);
    assert.equal(await readTopLevelFields(fileWith('[{"schema": 1}]'), ['schema']), null);
    assert.equal(await readTopLevelFields(fileWith('{"schema": nope}'), ['schema']), null);
  });
});
