// The panel's tables leave out the standard library's own locks and queues, as its timeline
// does, with one toggle for both: a Pool program with no lock of its own opens on a
// sentence, not on a table of the pool's eight locks; "Show them" shows them in the tables
// and the timeline, and the panel remembers it. The timeline's message arrows follow the
// same toggle, and the lock inside an Event is never shown as a lock, toggle or not.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderHtmlReport } from '../../src/extension/engine/export/htmlReport';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { lockStats } from '../../src/shared/recordStats';
import type { RunRecord, StartMethod } from '../../src/shared/runRecord';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';
import { hoverTimeline } from './reportChecks';

const POOL_ONLY = `
  import multiprocessing as mp

  def square(x):
      return x * x

  if __name__ == "__main__":
      with mp.Pool(2) as pool:
          print(pool.map(square, range(8)))
`;

/** The learner's own queue beside a pool's: five messages on `results`, then the pool's tasks and results on its own queues. */
const QUEUE_AND_POOL = `
  import multiprocessing as mp

  def square(x):
      return x * x

  def report(results):
      for n in range(5):
          results.put(n)

  if __name__ == "__main__":
      results = mp.Queue()
      sender = mp.Process(target=report, args=(results,))
      sender.start()
      got = [results.get() for _ in range(5)]
      sender.join()
      with mp.Pool(2) as pool:
          print(pool.map(square, range(8)), got)
`;

/** An Event, a Barrier and a Condition, each waited on by three workers; the main sets, and notifies. */
const SIGNALS = `
  import multiprocessing as mp
  import time

  def worker(ready, gate, cond):
      ready.wait()
      gate.wait()
      with cond:
          cond.wait(2)

  if __name__ == "__main__":
      ready = mp.Event()
      gate = mp.Barrier(3)
      cond = mp.Condition()
      workers = [mp.Process(target=worker, args=(ready, gate, cond)) for _ in range(3)]
      for each in workers:
          each.start()
      time.sleep(0.3)
      ready.set()
      time.sleep(0.3)
      with cond:
          cond.notify_all()
      for each in workers:
          each.join()
      print("done")
`;

async function reportOf(source: string, name: string, startMethod?: StartMethod): Promise<{ record: RunRecord; file: string }> {
  const program = writeProgram(`${name}.py`, source);
  const record = withEventArray(await (await ProfileRun.start({ file: program, startMethod })).finished);
  assert.equal(record.exitCode, 0, record.stderr);
  const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-${name}.html`);
  writeFileSync(file, renderHtmlReport(record, { file: record.file, text: source }));
  return { record, file };
}

/** The captions of the summary's tables. */
function captions(page: Page): Promise<string[]> {
  return page.locator('.summary caption').allInnerTexts();
}

/** The first cells of a summary table's rows ([] when there is no such table). */
function firstCells(page: Page, caption: string): Promise<string[]> {
  return page.locator('.summary table', { has: page.locator('caption', { hasText: new RegExp(`^${caption}$`) }) }).locator('tbody tr td:first-child').allInnerTexts();
}

/** Ticks or clears the timeline's toggle of the standard library's own objects, as the learner does. */
async function setInternalToggle(page: Page, show: boolean): Promise<void> {
  const toggle = page.locator('.timeline vscode-checkbox', { hasText: "Show the standard library's own" });
  if ((await toggle.evaluate((element) => (element as HTMLElement & { checked: boolean }).checked)) === show) return;
  const renders = await page.evaluate(() => window.parallelLab?.renderCount ?? 0);
  await toggle.click();
  await waitForRenders(page, renders + 1);
  assert.equal(await page.evaluate(() => window.parallelLab?.viewState.showInternalLocks), show);
}

/** Messages the timeline can draw (a send paired with its receipt), on the learner's channels and on the library's. */
function pairedMessages(record: RunRecord): { own: number; internal: number } {
  const internal = new Set(record.channels.filter((channel) => channel.internal).map((channel) => channel.id));
  const receipts = new Set(record.ipcEvents.filter((event) => event.op === 'get' || event.op === 'recv').map((event) => event.message));
  const counts = { own: 0, internal: 0 };
  for (const event of record.ipcEvents) {
    if ((event.op === 'put' || event.op === 'send') && event.message !== undefined && receipts.has(event.message)) counts[internal.has(event.channel) ? 'internal' : 'own']++;
  }
  return counts;
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

  for (const startMethod of ['fork', 'spawn'] as const) {
    it(`draws the arrows of the library's own queues only when the toggle shows them (${startMethod})`, async () => {
      const { record, file } = await reportOf(QUEUE_AND_POOL, `queue-and-pool-${startMethod}`, startMethod);
      const messages = pairedMessages(record);
      assert.equal(messages.own, 5, 'the five messages on results were paired');
      assert.ok(messages.internal > 0, `the pool's own queues carried messages: ${JSON.stringify(messages)}`);
      const { page, consoleErrors } = await watchedPage(browser());
      await page.goto(pathToFileURL(file).href);
      await waitForRenders(page);

      assert.deepEqual(await firstCells(page, 'Messages'), ['results'], "the table lists the learner's queue only");
      assert.equal((await page.evaluate(() => window.parallelLab?.timelineArrows()))?.messages, messages.own, "the timeline draws the learner's five messages, none of the pool's");

      await setInternalToggle(page, true);
      assert.equal((await firstCells(page, 'Messages')).length, record.channels.length, 'the table lists every queue');
      assert.equal((await page.evaluate(() => window.parallelLab?.timelineArrows()))?.messages, messages.own + messages.internal, "and the timeline the pool's messages too");

      await setInternalToggle(page, false);
      assert.equal((await page.evaluate(() => window.parallelLab?.timelineArrows()))?.messages, messages.own, 'hidden again');
      assert.deepEqual(consoleErrors, []);
      await page.close();
    });

    it(`never shows the lock inside an Event as a lock, even with the library's own shown (${startMethod})`, async () => {
      const { record, file } = await reportOf(SIGNALS, `signals-${startMethod}`, startMethod);
      const { page, consoleErrors } = await watchedPage(browser());
      await page.goto(pathToFileURL(file).href);
      await waitForRenders(page);
      await setInternalToggle(page, true);

      assert.deepEqual(await firstCells(page, 'Locks'), ['cond'], "the Condition's lock is the only lock");
      assert.deepEqual((await firstCells(page, 'Waits for a signal')).sort(), ['cond', 'gate', 'ready']);

      // What the timeline shows of each lock event: the tooltip's line naming what it is.
      const shown = new Set<string>();
      for (let index = 0; index < record.lockEvents.length; index++) {
        const point = await page.evaluate((i) => window.parallelLab?.lockEventPoint(i) ?? null, index);
        if (point === null) continue;
        shown.add((await hoverTimeline(page, point.x, point.y)).split('\n')[1]);
      }
      // At the whole-run zoom a short wait may sit within a pixel of another one, whose
      // tooltip then answers for both: every label shown must be one of the learner's
      // objects, and the Event shows as itself.
      const learners = ['Barrier: gate', 'Condition: cond', 'Event: ready', 'Lock: cond (Condition)'];
      assert.deepEqual([...shown].filter((label) => !learners.includes(label)), [], "the timeline shows nothing inside the learner's Event, Barrier and Condition");
      assert.ok(shown.has('Event: ready') && shown.has('Condition: cond'), `the learner's Event and Condition are drawn: ${[...shown].join(', ')}`);
      assert.deepEqual(consoleErrors, []);
      await page.close();
    });
  }
});
