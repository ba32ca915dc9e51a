// A record with a million lock events: the report loads, and the timeline zooms and pans
// without freezing the page.

import { strict as assert } from 'node:assert';
import { rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeHtmlReportFile } from './reportFile';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { jsHeapUsedBytes, scriptedZoomAndPan } from './frames';
import { COUNTER_SOURCE, syntheticRecord } from './records';
import { describeNeeding } from '../helpers/platformParts';

/** Generous: a frame this long is a stutter, not a freeze. */
const FRAME_BOUND_MS = 500;

describeNeeding(['chromium'], 'a million lock events (headless Chromium)', function () {
  this.timeout(300_000);
  const browser = sharedBrowser();

  it('loads, zooms and pans without freezing', async () => {
    const record = syntheticRecord({ workers: 10, cyclesPerWorker: 100_000, durationMs: 120_000, cores: 4 });
    assert.equal(record.lockEvents.length, 1_000_000);
    const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-million.html`);
    await writeHtmlReportFile(file, record, COUNTER_SOURCE);
    const { page, consoleErrors } = await watchedPage(browser());
    const loadStarted = Date.now();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await waitForRenders(page);
    const loadMs = Date.now() - loadStarted;
    const timing = await scriptedZoomAndPan(page);
    const heap = await jsHeapUsedBytes(page);
    console.log(
      `      1M lock events: report ${(statSync(file).size / 1e6).toFixed(0)} MB, loaded in ${loadMs} ms; ` +
        `frames median ${timing.medianFrameMs.toFixed(1)} ms, longest ${timing.longestFrameMs.toFixed(1)} ms, ` +
        `longest task ${timing.longestTaskMs.toFixed(0)} ms over ${timing.frameGaps.length} frames; heap ${(heap / 1e6).toFixed(0)} MB`,
    );
    assert.ok(timing.longestFrameMs < FRAME_BOUND_MS, `every frame under ${FRAME_BOUND_MS} ms (longest ${timing.longestFrameMs.toFixed(1)} ms)`);
    assert.deepEqual(consoleErrors, []);
    await page.close();
    rmSync(file, { force: true });
  });
});
