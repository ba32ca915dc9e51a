// Lesson 2: Process, start and join; every process has its own PID and parent; and what a
// missing main guard does under spawn.

import { strict as assert } from 'node:assert';
import { lessonText, mainOf, runSample, withRole } from './lessonSupport';

/** Markdown wraps lines and quotes with "> ": compare texts on their words only. */
function words(text: string): string {
  return text.replace(/^\s*>\s?/gm, '').replace(/\s+/g, ' ').trim();
}

describe('lesson 2: creating processes', function () {
  this.timeout(60_000);

  it('two kitchens: two children of the main process, both exit cleanly', async () => {
    const record = await runSample('02-creating-processes/two_kitchens.py');
    const children = withRole(record, 'process');
    assert.equal(children.length, 2);
    assert.ok(children.every((child) => child.ppid === mainOf(record).pid && child.exitCode === 0));
    assert.match(record.stdout, /kitchen-1 done/);
    assert.match(record.stdout, /kitchen-2 done/);
  });

  it('family tree: every PID differs, every child names the main process as its parent', async () => {
    const record = await runSample('02-creating-processes/family_tree.py');
    const main = mainOf(record);
    const children = withRole(record, 'process');
    assert.equal(children.length, 3);
    const pids = new Set([main.pid, ...children.map((child) => child.pid)]);
    assert.equal(pids.size, 4, 'four different PIDs');
    for (const child of children) assert.equal(child.ppid, main.pid, `${child.name}'s parent`);

    // What the program printed agrees with what the profiler recorded.
    assert.match(record.stdout, new RegExp(`^parent: pid ${main.pid}$`, 'm'));
    const printed = [...record.stdout.matchAll(/^child-\d: pid (\d+), parent (\d+)$/gm)];
    assert.equal(printed.length, 3, `three children introduced themselves:\n${record.stdout}`);
    assert.deepEqual(printed.map((line) => Number(line[1])).sort(), children.map((child) => child.pid).sort());
    assert.ok(printed.every((line) => Number(line[2]) === main.pid));
  });

  it('no main guard under spawn: the child fails while bootstrapping, and the warning explains it', async () => {
    // The program itself exits 0: only the child fails, and the parent just joins it.
    const record = await runSample('02-creating-processes/no_main_guard.py', { startMethod: 'spawn' });
    assert.match(record.stderr, /RuntimeError/);
    assert.match(record.stderr, /bootstrapping phase/);
    assert.doesNotMatch(record.stdout, /hello from the child/);
    const warning = record.warnings.find((text) => text.includes('if __name__ == "__main__":'));
    assert.ok(warning, `a main-guard warning in ${JSON.stringify(record.warnings)}`);
    assert.ok(
      words(lessonText('02-creating-processes/lesson.md')).includes(words(warning)),
      'the lesson quotes the warning exactly as Parallel Lab shows it',
    );
  });
});
