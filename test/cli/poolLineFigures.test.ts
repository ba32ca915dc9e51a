// The figures on a line that hands work to a pool (the editor's and the panel's, from
// shared/lineActivity): tasks are what the pool ran, items what the learner passed, so
// imap_unordered(f, range(10), chunksize=3) is "4 tasks · 10 items", not "10 tasks".

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeLineActivity, lineActivity } from '../../src/shared/lineActivity';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';

const POOLS = `
  import multiprocessing as mp
  from concurrent.futures import ProcessPoolExecutor

  def square(x):
      return x * x

  def add(a, b):
      return a + b

  if __name__ == "__main__":
      with mp.Pool(2) as pool:
          print(sorted(pool.imap_unordered(square, range(10), chunksize=3)))  # imap_unordered chunks
          print(list(pool.imap(square, range(5))))  # imap one by one
          print(list(pool.imap(square, range(5), chunksize=2)))  # imap chunks
          print(pool.map(square, range(10), chunksize=4))  # map chunks
          print(pool.map(square, range(10)))  # map default chunks
          print(pool.starmap(add, [(i, i) for i in range(6)], chunksize=2))  # starmap chunks
          print([r.get() for r in [pool.apply_async(square, (i,)) for i in range(3)]])  # apply_async
      with ProcessPoolExecutor(2) as executor:
          print(list(executor.map(square, range(7), chunksize=3)))  # executor chunks
          print(list(executor.map(square, range(4))))  # executor one by one
          print([f.result() for f in [executor.submit(square, i) for i in range(3)]])  # submit
`;

/** The comment at the end of a line → what its figure must begin with. */
const EXPECTED: Record<string, string> = {
  'imap_unordered chunks': '4 tasks · 10 items · ',
  'imap one by one': '5 tasks · ',
  'imap chunks': '3 tasks · 5 items · ',
  'map chunks': '3 tasks · 10 items · ',
  // chunksize: divmod(10, 2 workers * 4) rounded up = 2
  'map default chunks': '5 tasks · 10 items · ',
  'starmap chunks': '3 tasks · 6 items · ',
  apply_async: '3 tasks · ',
  'executor chunks': '3 tasks · 7 items · ',
  'executor one by one': '4 tasks · ',
  submit: '3 tasks · ',
};

describe('per-line figures of pool calls count tasks and items apart', function () {
  this.timeout(120_000);

  it('map, imap, imap_unordered, starmap, apply_async, executor.map and submit, with and without chunksize', async () => {
    const file = writeProgram('pools.py', POOLS);
    const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-lines-')), 'run.json');
    const result = await runCli(['run', file, '--quiet', '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    const lines = readFileSync(file, 'utf8').split('\n');
    const figures = new Map(lineActivity(record, file).map((activity) => [activity.line, describeLineActivity(activity)]));
    const wrong: string[] = [];
    for (const [comment, start] of Object.entries(EXPECTED)) {
      const line = lines.findIndex((text) => text.endsWith(`# ${comment}`)) + 1;
      assert.ok(line > 0, `the program has a line "# ${comment}"`);
      const figure = figures.get(line) ?? '(no figure)';
      if (!figure.startsWith(start)) wrong.push(`line ${line} (${comment}): "${figure}", expected "${start}…"`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });
});
