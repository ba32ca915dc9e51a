// Thread lanes live: a real run's deltas, sent to the panel as the extension sends them while
// the run goes, make each chef's lane and the stove row appear before the run ends, and the
// panel ends up with the lanes, lock events and threads table that the finished record shows.

import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { LiveDelta } from '../../src/shared/liveDeltas';
import type { RunRecord } from '../../src/shared/runRecord';
import type { DrawnLane } from '../../src/webview/timeline/timelineView';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';
import { openPanel, sendToPanel } from './panelPage';

/** Two chefs for about a second and a half, a lock taken now and then; named once started. */
const CHEFS = `
  import threading
  import time

  lock = threading.Lock()


  def cook():
      done = 0
      until = time.monotonic() + 1.5
      while time.monotonic() < until:
          for i in range(20_000):
              done += i % 7
          with lock:
              pass


  if __name__ == "__main__":
      chefs = [threading.Thread(target=cook, name=f"chef-{n + 1}") for n in range(2)]
      for chef in chefs:
          chef.start()
      for chef in chefs:
          chef.join()
      print("served")
`;

/** What must match between the live panel and the finished one (the axis, still growing live, aside). */
async function threadView(page: Page): Promise<{ lanes: Array<Omit<DrawnLane, 'top'>>; tables: string }> {
  return page.evaluate(() => ({
    lanes: (window.parallelLab?.timelineLanes() ?? []).map(({ top: _top, ...lane }) => lane),
    tables: Array.from(document.querySelectorAll('.threads-of tbody th, .threads-of tbody td:nth-child(2)'), (cell) => cell.textContent).join('|'),
  }));
}

describeNeeding(['chromium'], 'thread lanes live (headless Chromium, a real run)', function () {
  this.timeout(120_000);
  const browser = sharedBrowser();

  it('shows each chef\'s lane and the stove row while the run goes, and ends as the finished record shows them', async () => {
    const live = await watchedPage(browser());
    await openPanel(live.page);
    const run = await ProfileRun.start({ file: writeProgram('live_chefs.py', CHEFS), live: true, timeoutMs: 60_000 });
    await sendToPanel(live.page, { type: 'live-start', run: run.liveStart(), source: null });
    let finished = false;
    let seenWhileRunning: string[] = [];
    const send = async (): Promise<void> => {
      const deltas = JSON.parse(JSON.stringify(run.drainLiveDeltas())) as LiveDelta[];
      await sendToPanel(live.page, { type: 'deltas', deltas });
      if (!finished) {
        // The message is handled, then the panel renders at the next frame: wait for the one after.
        await live.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const labels = (await threadView(live.page)).lanes.filter((lane) => lane.kind !== 'process').map((lane) => lane.label);
        if (labels.length > seenWhileRunning.length) seenWhileRunning = labels;
      }
    };
    const ended = run.finished.then((record) => {
      finished = true;
      return record;
    });
    while (!finished) {
      await send();
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    const record: RunRecord = withEventArray(await ended);
    await send();
    assert.equal(record.exitCode, 0, record.stderr);
    assert.deepEqual(live.consoleErrors, []);
    assert.deepEqual(seenWhileRunning, ['the stove (GIL)', 'MainThread', 'chef-1', 'chef-2'], 'the chefs\' lanes and their stove row appeared while the run went on');
    await live.page.waitForFunction(() => document.querySelector('#summary-heading')?.textContent?.endsWith('finished'));

    const done = await watchedPage(browser());
    await openPanel(done.page);
    await sendToPanel(done.page, { type: 'record', record: JSON.parse(JSON.stringify(record)) as RunRecord, source: null });
    await waitForRenders(done.page);
    const [liveView, finishedView] = [await threadView(live.page), await threadView(done.page)];
    assert.ok(finishedView.lanes.some((lane) => lane.kind === 'thread' && lane.lockEvents > 0), 'the chefs\' lock events are on their lanes');
    assert.deepEqual(liveView, finishedView, 'the live lanes and threads table equal the finished ones');
    assert.deepEqual([...live.consoleErrors, ...done.consoleErrors], []);
    await live.page.close();
    await done.page.close();
  });
});
