import { strict as assert } from 'node:assert';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cachedInterpreter, rememberInterpreter } from '../../src/extension/engine/interpreter/interpreterCache';

describe('interpreterCache', () => {
  const saved = process.env.XDG_CACHE_HOME;
  before(() => {
    process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-cache-'));
  });
  after(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it('answers for the same command until the interpreter file changes', async () => {
    const executable = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-python-')), 'python3');
    writeFileSync(executable, '');
    await rememberInterpreter('python3', { executable, version: '3.11.7', stdioEncoding: 'utf-8', gilEnabled: true });
    assert.deepEqual(await cachedInterpreter('python3'), { executable, version: '3.11.7', stdioEncoding: 'utf-8', gilEnabled: true });
    assert.equal(await cachedInterpreter('python'), undefined, 'another command is another question');
    const savedLocale = process.env.LC_ALL;
    process.env.LC_ALL = 'en_US.ISO-8859-1';
    try {
      assert.equal(await cachedInterpreter('python3'), undefined, 'another locale may mean another output encoding');
    } finally {
      if (savedLocale === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = savedLocale;
    }
    utimesSync(executable, new Date(), new Date(Date.now() + 60_000));
    assert.equal(await cachedInterpreter('python3'), undefined, 'a replaced interpreter is probed again');
  });
});
