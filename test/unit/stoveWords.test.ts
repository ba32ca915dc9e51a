// The stove's plain words, from fixed shares.

import { strict as assert } from 'node:assert';
import { stoveSentence, type StoveThreadShares } from '../../src/shared/stoveWords';

function thread(name: string, ran: number, gilWait: number, coreWait = 0): StoveThreadShares {
  return { name, ran, gilWait, coreWait, waiting: Math.max(0, 1 - ran - gilWait - coreWait) };
}

describe('stoveSentence', function () {
  it('says how four threads fighting over the GIL shared one stove', function () {
    const chefs = [0, 1, 2, 3].map((i) => thread(`chef-${i}`, 0.24 + i * 0.01, 0.74 - i * 0.01));
    assert.equal(
      stoveSentence(chefs, true),
      '4 threads shared one stove: each ran about 26 % of the time; while one ran, the others waited for the GIL (about 73 % of the time each).',
    );
  });

  it('names each thread when their shares differ, and says when they also waited for a core', function () {
    const chefs = [thread('chef-1', 0.4, 0.3, 0.2), thread('chef-2', 0.1, 0.6, 0.2)];
    assert.equal(
      stoveSentence(chefs, true),
      '2 threads shared one stove: chef-1 ran 40 %, chef-2 ran 10 % of the time; while one ran, the others waited for the GIL (about 45 % of the time each). ' +
        'They also waited for a free core about 20 % of the time.',
    );
  });

  it('counts only the threads that fought: a main thread joining them is not one', function () {
    const sentence = stoveSentence([thread('MainThread', 0, 0), thread('chef-1', 0.5, 0.5), thread('chef-2', 0.5, 0.5)], true);
    assert.match(sentence, /^2 threads shared one stove: each ran about 50 %/);
  });

  it('says sleeping threads did not fight, nor threads that seldom wanted the GIL together', function () {
    const sleepers = [1, 2, 3].map((i) => thread(`sleeper-${i}`, 0.01, 0));
    assert.equal(stoveSentence(sleepers, true), '3 threads slept or waited most of the time (on a lock, I/O or a sleep): they did not fight over the stove.');
    assert.equal(stoveSentence([thread('worker', 0.9, 0.05), thread('MainThread', 0, 0)], true), '2 threads did not fight over the stove: they seldom wanted the GIL at the same time.');
  });

  it('says a Python without a GIL has none, and whether its threads used several cores', function () {
    assert.equal(
      stoveSentence([thread('a', 0.9, 0), thread('b', 0.85, 0)], false),
      'This Python has no GIL: its 2 threads ran on several cores at once (175 % of one core together).',
    );
    assert.equal(
      stoveSentence([thread('a', 0.5, 0), thread('b', 0.3, 0)], false),
      'This Python has no GIL, so its threads could run on several cores at once; here they used 80 % of one core together.',
    );
  });

  it('says nothing of a single thread', function () {
    assert.equal(stoveSentence([thread('MainThread', 1, 0)], true), '');
  });
});
