// The panel's tables leave out the standard library's own locks and queues, as its timeline
// does, with one toggle for both: a Pool program with no lock of its own opens on a
// sentence, not on a table of the pool's eight locks; "Show them" shows them in the tables
// and the timeline, and the panel remembers it.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderHtmlReport } from '../../src/extension/engine/export/htmlReport';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { lockStats } from '../../src/shared/recordStats';
import type { RunRecord } from '../../src/shared/runRecord';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';

const POOL_ONLY = `
  import multiprocessing as mp

  def square(x):
      return x * x

  if __name__ == "__main__":
      with mp.Pool(2) as pool:
          print(pool.map(square, range(8)))
`;

async function reportOf(source: string, name: string): Promise<{ record: RunRecord; file: string }> {
  const program = writeProgram(`${name}.py`, source);
  const record = withEventArray(await (await ProfileRun.start({ file: program })).finished);
  const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-${name}.html`);
  writeFileSync(file, renderHtmlReport(record, { file: record.file, text: source }));
  return { record, file };
}

/** The captions of the summary's tables. */
function captions(page: Page): Promise<string[]> {
  return page.locator('.summary caption').allInnerTexts();
}

describeNeeding(['chromium'], "the panel's tables and the standard library's own locks (headless Chromium)", function () {
  this.timeout(120_000);
  const browser = sharedBrowser();

  it('a Pool program without locks of its own: a sentence, then the pool\'s locks on request, in tables and timeline', async () => {
    const { record, file } = await reportOf(POOL_ONLY, 'pool-only');
    const internal = lockStats(record).filter((stats) => stats.lock.internal && stats.acquisitions + stats.failed > 0).length;
    assert.ok(internal > 0, 'the pool used locks of its own');
    assert.ok(record.locks.every((lock) => lock.internal), 'and the program none');
    const { page, consoleErrors } = await watchedPage(browser());
    await page.goto(pathToFileURL(file).href);
    await waitForRenders(page);

    assert.deepEqual((await captions(page)).filter((caption) => caption === 'Locks'), [], 'no table of locks');
    const note = page.locator('.summary .internal-note').first();
    assert.equal(
      (await note.innerText()).replace(/\s+/g, ' ').trim(),
      `No locks of your own; the standard library used ${internal} locks of its own. Show them`,
    );
    const toggle = page.locator('vscode-checkbox', { hasText: "Show the standard library's own locks" });
    assert.equal(await toggle.evaluate((element) => (element as HTMLElement & { checked: boolean }).checked), false);

    const renders = await page.evaluate(() => window.parallelLab?.renderCount ?? 0);
    await note.locator('vscode-button', { hasText: 'Show them' }).click();
    await waitForRenders(page, renders + 1);
    assert.ok((await captions(page)).includes('Locks'), 'the table of locks appears');
    assert.equal(await page.locator('.summary table', { has: page.locator('caption', { hasText: /^Locks$/ }) }).locator('tbody tr').count(), internal);
    assert.equal(await toggle.evaluate((element) => (element as HTMLElement & { checked: boolean }).checked), true, 'the timeline toggle follows');
    assert.match(await page.locator('.summary .internal-note').first().innerText(), /Hide them/);

    await page.reload();
    await waitForRenders(page);
    assert.ok((await captions(page)).includes('Locks'), 'the choice is kept with the panel\'s state');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
