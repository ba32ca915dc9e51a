// ESLint (eslint.config.mjs) over src/, test/ and bench/, inside `npm test` so that its
// problems count among the failures. Type-aware rules load the whole program: tens of seconds.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

describe('lint', function () {
  this.timeout(180_000);

  it('ESLint finds no problem in src/, test/ and bench/', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['src', 'test', 'bench']);
    const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
    const formatter = await eslint.loadFormatter('stylish');
    assert.equal(problems, 0, await formatter.format(results));
  });
});
