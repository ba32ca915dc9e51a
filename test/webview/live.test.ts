// Live mode: deltas at 10 Hz for 10 seconds reach the panel without loss, the processes view
// follows the run, and the final rendering equals that of the finished record.

import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { deltaBatches, liveRunStart } from './liveDeltaFeed';
import { openPanel, sendToPanel } from './panelPage';
import { COUNTER_SOURCE, LOCK_LINE, syntheticRecord } from './records';
import { describeNeeding } from '../helpers/platformParts';

const BATCH_MS = 100;

/** What must match between the live rendering and the finished one. */
async function renderedView(page: Page): Promise<Record<string, string>> {
  return page.evaluate((lockLine) => ({
    processes: document.querySelector('.process-table tbody')?.innerHTML ?? '',
    verdict: document.querySelector('.verdict')?.textContent ?? '',
    coreBars: document.querySelector('.core-bars')?.innerHTML ?? '',
    locks: document.querySelector('.summary .stats')?.innerHTML ?? '',
    headline: document.querySelector('#summary-heading')?.textContent ?? '',
    annotation: document.querySelector(`.code-line[data-line="${lockLine}"]`)?.outerHTML ?? '',
  }), LOCK_LINE);
}

describeNeeding(['chromium'], 'live mode (headless Chromium)', function () {
  this.timeout(120_000);
  const browser = sharedBrowser();

  it('renders 10 seconds of deltas at 10 Hz without loss, and ends equal to the finished record', async () => {
    const record = syntheticRecord({ durationMs: 10_000, cyclesPerWorker: 50, cores: 4 });
    const batches = deltaBatches(record, BATCH_MS);
    assert.equal(batches.length, 100);
    const source = { file: record.file, text: COUNTER_SOURCE };

    const live = await watchedPage(browser());
    await openPanel(live.page);
    await sendToPanel(live.page, { type: 'live-start', run: liveRunStart(record), source });
    const started = Date.now();
    const rowsSeen: number[] = [];
    let sawRunning = false;
    for (let b = 0; b < batches.length; b++) {
      await delay(Math.max(0, started + b * BATCH_MS - Date.now()));
      await sendToPanel(live.page, { type: 'deltas', deltas: batches[b] });
      if (b % 10 === 5) {
        rowsSeen.push(await live.page.locator('.process-table tbody tr').count());
        sawRunning ||= (await live.page.locator('.process-table td.state', { hasText: 'running' }).count()) > 0;
      }
    }
    const elapsed = Date.now() - started;
    await live.page.waitForFunction(() => document.querySelector('#summary-heading')?.textContent?.endsWith('finished'));
    assert.ok(elapsed >= 9_900 && elapsed < 15_000, `fed for about 10 s (${elapsed} ms)`);
    assert.ok(sawRunning, 'the processes view showed running processes during the run');
    assert.ok(rowsSeen[0] < rowsSeen[rowsSeen.length - 1], `the process list grew during the run: ${rowsSeen.join(', ')}`);
    const cycles = Number(await live.page.locator(`.code-line[data-line="${LOCK_LINE}"]`).getAttribute('data-lock-cycles'));
    assert.equal(cycles, record.lockEvents.length, 'every lock event arrived');

    const finished = await watchedPage(browser());
    await openPanel(finished.page);
    await sendToPanel(finished.page, { type: 'record', record, source });
    await waitForRenders(finished.page);
    const [liveView, finishedView] = [await renderedView(live.page), await renderedView(finished.page)];
    for (const key of Object.keys(finishedView)) assert.equal(liveView[key], finishedView[key], `the live ${key} equals the finished one`);
    assert.deepEqual(live.consoleErrors, []);
    await live.page.close();
    await finished.page.close();
  });
});
