// The standalone HTML report in real headless Chromium: what it shows, that it needs no
// network, and that its Content-Security-Policy holds.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderHtmlReport, writeHtmlReport } from '../../src/extension/engine/export/htmlReport';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { formatMs } from '../../src/shared/format';
import type { RunRecord } from '../../src/shared/runRecord';
import { SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';
import { artifactPath, sharedBrowser, type WatchedPage, waitForRenders, watchedPage } from '../helpers/browser';
import { COUNTER_SOURCE, LOCK_LINE, syntheticRecord } from './records';
import { firstLockEventOfWorker, workerIdleAt, hoverTimeline, lineAnnotation, lockPixels, processTablePids } from './reportChecks';
import { describeNeeding } from '../helpers/platformParts';

const COUNTER = path.join(SAMPLES_DIR, '04-sharing-memory', 'counter.py');

async function openReport(browser: Browser, file: string): Promise<WatchedPage> {
  const watched = await watchedPage(browser);
  await watched.page.goto(pathToFileURL(file).href);
  await waitForRenders(watched.page);
  return watched;
}

function writeReport(name: string, record: RunRecord, source: string | null): string {
  const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-${name}.html`);
  writeFileSync(file, renderHtmlReport(record, source === null ? null : { file: record.file, text: source }));
  return file;
}

/** What every report of the counter example must show, synthetic or real. */
async function checkCounterReport(watched: WatchedPage, record: RunRecord, reportFile: string, lockLine: number, screenshot: string): Promise<void> {
  const { page, consoleErrors, requests } = watched;
  const main = record.processes.find((p) => p.role === 'main');
  assert.ok(main, 'the record has a main process');
  const workers = record.processes.filter((p) => p.role === 'process');
  assert.equal(workers.length, 10, 'ten workers in the record');

  const pids = await processTablePids(page);
  for (const p of [main, ...workers]) assert.ok(pids.includes(p.pid), `the processes view lists PID ${p.pid}`);
  assert.ok(pids.length >= 11, `at least 11 PIDs listed, got ${pids.length}`);

  const eventIndex = firstLockEventOfWorker(record);
  const pixels = await lockPixels(page, record, eventIndex, workerIdleAt(record, eventIndex, record.durationMs / 100));
  assert.ok(pixels.event[3] > 0, `the lock event is painted at (${pixels.x.toFixed(1)}, ${pixels.y}): ${pixels.event}`);
  assert.notDeepEqual(pixels.event, pixels.empty, 'the lane with the lock event differs from a lane without one at the same x');

  const tooltip = await hoverTimeline(page, pixels.x, pixels.y);
  assert.match(tooltip, /PID \d+/, `the tooltip names a PID: ${tooltip}`);
  assert.match(tooltip, /Waited [\d.]+ (ms|s)/, `the tooltip gives the wait time: ${tooltip}`);
  const hoveredPid = Number(/PID (\d+)/.exec(tooltip)?.[1]);
  assert.ok(record.lockEvents.some((event) => event.pid === hoveredPid), 'the hovered PID took the lock');

  const annotation = await lineAnnotation(page, lockLine);
  assert.equal(annotation.cycles, 10, `line ${lockLine} annotated with 10 lock cycles: "${annotation.text}"`);
  assert.match(annotation.text, /^10× counter\.get_lock\(\) · waited /, 'the lock as the code names it');
  assert.doesNotMatch(annotation.text, /lock-\d/, 'no lock id');

  await page.screenshot({ path: artifactPath(screenshot), fullPage: true });
  assert.deepEqual(consoleErrors, [], 'no console error');
  assert.deepEqual(requests, [pathToFileURL(reportFile).href], 'no request but the page itself');
}

describeNeeding(['chromium'], 'the HTML report (headless Chromium)', function () {
  this.timeout(120_000);
  const browser = sharedBrowser();

  it('shows the processes, lock segments, hover details and line annotations of a synthetic counter run', async () => {
    const record = syntheticRecord();
    const file = writeReport('synthetic', record, COUNTER_SOURCE);
    const watched = await openReport(browser(), file);
    await checkCounterReport(watched, record, file, LOCK_LINE, 'report-synthetic.png');
    await watched.page.close();
  });

  it("leads the cores with the run's own share, other programs greyed apart, and shows the waits for a free core", async () => {
    const record = syntheticRecord();
    const file = writeReport('cores', record, COUNTER_SOURCE);
    const { page, consoleErrors } = await openReport(browser(), file);
    const bars = await page.locator('.core-bar-text').allInnerTexts();
    assert.equal(bars.length, record.cores);
    for (const text of bars) assert.match(text, /^\d+ % your run · 10 % other programs$/);
    assert.match(await page.locator('.cores .verdict').innerText(), /^Your run did [\d.]+ cores' worth of work: .* Other programs: 0\.4 cores' worth \(grey\), not counted in your run\./);
    assert.match(await page.locator('.core-legend').innerText(), /Grey: other programs on this machine, not your run/);
    const meter = await page.locator('.core-bar-track').first().getAttribute('aria-label');
    assert.match(meter ?? '', /^CPU 0 on average: \d+ % your run · 10 % other programs$/);
    // The run-queue wait: a column of the processes table, and the CPU row's tooltip.
    assert.ok((await page.locator('.process-table thead').innerText()).includes('Waited for a core'));
    const worker = record.processes[1];
    const waited = await page.locator(`.process-table tr[data-pid="${worker.pid}"] td`).nth(6).innerText();
    assert.equal(waited, formatMs(worker.samples.reduce((sum, sample) => sum + (sample.runQueueMs ?? 0), 0)), "the first worker's wait in all");
    const waitingSample = worker.samples.find((sample) => sample.runQueueMs === 30)!;
    const point = await page.evaluate(({ pid, t }) => window.parallelLab?.cpuPoint(pid, t), { pid: worker.pid, t: waitingSample.t - 50 });
    assert.ok(point, 'the worker has a lane');
    assert.match(await hoverTimeline(page, point.x, point.y), /ready but waiting for a free core 30\.0 ms/);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('says so where the platform does not split the cores between the run and other programs', async () => {
    const record = syntheticRecord();
    record.coreSamples = record.coreSamples.map(({ t, usage, runTotal }) => ({ t, usage, runTotal }));
    const file = writeReport('cores-listing', record, COUNTER_SOURCE);
    const { page } = await openReport(browser(), file);
    for (const text of await page.locator('.core-bar-text').allInnerTexts()) assert.match(text, /^\d+ % busy \(all programs\)$/);
    assert.match(await page.locator('.cores .verdict').innerText(), /This platform does not say which cores ran it/);
    assert.match(await page.locator('.core-legend').innerText(), /Grey: all programs on this machine/);
    await page.close();
  });

  it('reveals the source line of a clicked lock event and filters the timeline by a clicked code line', async () => {
    const record = syntheticRecord();
    const file = writeReport('reveal', record, COUNTER_SOURCE);
    const { page } = await openReport(browser(), file);
    const pixels = await lockPixels(page, record, 3, workerIdleAt(record, 3, 10));
    const box = await page.locator('canvas.timeline-canvas').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + pixels.x, box.y + pixels.y);
    await page.waitForSelector(`.code-line.revealed[data-line="${LOCK_LINE}"]`, { timeout: 5000 });

    await page.locator(`.code-line[data-line="${LOCK_LINE}"]`).click();
    await page.waitForSelector(`.code-line[data-line="${LOCK_LINE}"][aria-pressed="true"]`);
    assert.match(await page.locator('.filter-note').innerText(), /line 5/);
    // Keyboard: the same line toggles back with Enter.
    await page.locator(`.code-line[data-line="${LOCK_LINE}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.code-line[data-line="${LOCK_LINE}"][aria-pressed="false"]`);
    await page.close();
  });

  it('keeps the wait/hold meaning without colour and reaches events by keyboard', async () => {
    const record = syntheticRecord();
    const file = writeReport('keyboard', record, COUNTER_SOURCE);
    const { page, consoleErrors } = await openReport(browser(), file);
    await page.locator('canvas.timeline-canvas').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('n');
    const status = await page.locator('.timeline [aria-live]').innerText();
    assert.match(status, /PID \d+.*Waited/s, `the selected event is announced: ${status}`);
    assert.match(await page.locator('.legend').innerText(), /hatched: waiting.*solid: holding/s);
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowRight');
    const saved = await page.evaluate(() => sessionStorage.getItem('parallel-lab-view'));
    assert.ok(saved && (JSON.parse(saved) as { viewStartMs: number }).viewStartMs > 0, `zoom and pan are kept in the view state: ${saved}`);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('refuses a script without the nonce (CSP), and the toolkit renders under that CSP', async () => {
    const record = syntheticRecord();
    const file = writeReport('csp', record, COUNTER_SOURCE);
    const { page, consoleErrors } = await openReport(browser(), file);
    // The toolkit's components upgraded (shadow roots) with no CSP complaint.
    assert.equal(await page.locator('vscode-button').first().evaluate((element) => element.shadowRoot !== null), true);
    assert.deepEqual(consoleErrors, [], 'the page and the toolkit load without a CSP error');
    const outcome = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true;';
      document.body.append(script);
      const directive = await Promise.race([violation, new Promise<string>((resolve) => setTimeout(() => resolve('no violation'), 2000))]);
      return { ran: (window as unknown as { injectedRan?: boolean }).injectedRan === true, directive };
    });
    assert.equal(outcome.ran, false, 'the injected script did not run');
    assert.match(outcome.directive, /script-src/, 'a CSP violation was reported for script-src');
    await page.close();
  });

  // Needs the lock tracer (runtimes/python lock patches): without it the run has no lock events.
  it('renders a report of a real run of the counter example (needs the lock tracer)', async () => {
    const run = await ProfileRun.start({ file: COUNTER });
    const record = withEventArray(await run.finished);
    assert.equal(record.stdout, '10\n');
    const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-real.html`);
    await writeHtmlReport(file, record);
    const lockLine = lockLineOf(record);
    const watched = await openReport(browser(), file);
    await checkCounterReport(watched, record, file, lockLine, 'report-counter.png');
    await watched.page.close();
  });

  it('shows waits for an Event and at a Barrier as waits for a signal, not as lock contention (real run)', async () => {
    const program = writeProgram(
      'signals.py',
      `
      import multiprocessing as mp
      import time

      def event_waiter(ev):
          ev.wait()  # event wait

      def party(barrier):
          barrier.wait()  # barrier wait

      if __name__ == "__main__":
          ev = mp.Event()
          barrier = mp.Barrier(2)
          workers = [mp.Process(target=event_waiter, args=(ev,)) for _ in range(2)] + [mp.Process(target=party, args=(barrier,))]
          for w in workers:
              w.start()
          time.sleep(0.3)
          ev.set()
          barrier.wait()
          for w in workers:
              w.join()
      `,
    );
    const run = await ProfileRun.start({ file: program, startMethod: 'fork' });
    const record = withEventArray(await run.finished);
    assert.equal(record.exitCode, 0, record.stderr);
    const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-signals.html`);
    await writeHtmlReport(file, record);
    const { page, consoleErrors } = await openReport(browser(), file);
    const source = readFileSync(program, 'utf8').split('\n');
    const lineOf = (text: string): number => source.findIndex((line) => line.includes(text)) + 1;

    const eventLine = await lineAnnotation(page, lineOf('# event wait'));
    assert.match(eventLine.text, /^2× waited for the event [\d.]+ m?s · 2 processes$/, 'the event wait line');
    assert.equal(eventLine.cycles, 0, 'no lock cycles on the event wait line');
    assert.match((await lineAnnotation(page, lineOf('# barrier wait'))).text, /^waited at the barrier [\d.]+ m?s · 1 process$/);

    const captions = await page.locator('.summary table caption').allInnerTexts();
    assert.ok(captions.includes('Waits for a signal'), `a table of waits for a signal: ${captions.join(', ')}`);
    const signalRows = await page.locator('.summary table:has(caption:text-is("Waits for a signal")) tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(signalRows.sort(), ['barrier', 'ev']);
    const lockRows = captions.includes('Locks') ? await page.locator('.summary table:has(caption:text-is("Locks")) tbody tr td:first-child').allInnerTexts() : [];
    assert.ok(!lockRows.includes('ev') && !lockRows.includes('barrier'), `neither is a lock: ${lockRows.join(', ')}`);

    const ev = record.locks.find((lock) => lock.kind === 'Event');
    assert.ok(ev, 'the Event is in the record');
    const index = record.lockEvents.findIndex((event) => event.lock === ev.id && event.site?.line === lineOf('# event wait'));
    const point = await page.evaluate((i) => window.parallelLab?.lockEventPoint(i), index);
    assert.ok(point, 'the wait is drawn on the timeline');
    const tooltip = await hoverTimeline(page, point.x, point.y);
    assert.match(tooltip, /Event: ev/, `the tooltip names the event: ${tooltip}`);
    assert.match(tooltip, /Waited for the event [\d.]+ m?s/, `and says what the wait was: ${tooltip}`);
    assert.doesNotMatch(tooltip, /held|Lock:/, tooltip);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});

/** The line of `with counter.get_lock():` in the real sample. */
function lockLineOf(record: RunRecord): number {
  const text = readFileSync(record.file, 'utf8');
  const line = text.split('\n').findIndex((source) => source.includes('with counter.get_lock():'));
  assert.ok(line >= 0, 'the sample has the lock line');
  return line + 1;
}
