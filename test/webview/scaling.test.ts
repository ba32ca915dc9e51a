// The scaling lab's results view in real headless Chromium: a report written by
// writeScalingReport opened from file:// (table, charts, fit, predictions, breakdown, verdict,
// no network, no console error, keyboard, narrow widths), and the live panel receiving a
// scaling result as a VS Code message.

import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeScalingReport } from '../../src/extension/engine/export/htmlReport';
import { SCALING_SCHEMA, type ScalingMode, type ScalingResult } from '../../src/shared/scaling';
import { modeFigures } from '../../src/extension/engine/scaling/modeFigures';
import { formatSpeedup } from '../../src/webview/scaling/scalingFormat';
import { artifactPath, sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { openPanel, sendToPanel } from './panelPage';
import { COUNTER_SOURCE, syntheticRecord } from './records';
import { describeNeeding } from '../helpers/platformParts';

/** The sequential runs: median 1600 ms. */
const SEQUENTIAL_RUNS = [1560, 1600, 1680];

function mode(name: ScalingMode['mode'], workers: number, runsMs: number[], resultsMatch = true): ScalingMode {
  return { ...modeFigures({ mode: name, workers }, runsMs, SEQUENTIAL_RUNS), resultsMatch };
}

/**
 * A CPU-bound map on a 4-core machine: near-linear up to the cores, worse with 8 workers.
 * Threads and the 1-worker pool are no measurable difference from running alone; the
 * 8-worker pool ran 6 times, its spread twice as wide as the 4-worker pool's.
 */
function scalingResult(): ScalingResult {
  return {
    schema: SCALING_SCHEMA,
    file: '/lessons/primes.py',
    function: 'count_primes',
    inputs: 'range(16)',
    items: 16,
    cores: 4,
    modes: [
      mode('sequential', 1, SEQUENTIAL_RUNS),
      mode('threads', 4, [1550, 1650, 1700]),
      mode('processes', 1, [1700, 1720, 1790]),
      mode('processes', 2, [880, 900, 940]),
      mode('processes', 3, [630, 640, 660]),
      mode('processes', 4, [505, 520, 560]),
      mode('processes', 8, [500, 540, 600, 650, 700, 530]),
    ],
    resultsEqual: true,
    gilEnabled: true,
    computeShare: 0.98,
    fit: { serialFraction: 0.08, maxSpeedup: 12.5, r2: 0.98 },
    prediction: { twoWorkers: 2, allCores: 3.5 },
    breakdown: [
      { workers: 1, startupMs: 45, pickledBytes: 2_400, transferMs: 6, lockWaitMs: 0, idleTailMs: 0 },
      { workers: 2, startupMs: 60, pickledBytes: 2_400, transferMs: 9, lockWaitMs: 1.5, idleTailMs: 35 },
      { workers: 3, startupMs: 75, pickledBytes: 2_400, transferMs: 12, lockWaitMs: 2.5, idleTailMs: 80 },
      { workers: 4, startupMs: 90, pickledBytes: 2_400, transferMs: 15, lockWaitMs: 4, idleTailMs: 120 },
      { workers: 8, startupMs: 170, pickledBytes: 2_400, transferMs: 40, lockWaitMs: 12, idleTailMs: 260, slowerWorkMs: 310 },
    ],
    verdict: 'Process pools made count_primes 3.1× faster on 4 cores; threads did not help, because the work is pure Python and holds the GIL.',
    warnings: ['8 workers on 4 cores was slower than 4 workers: the extra processes only took turns.'],
  };
}

interface MarkerBox {
  x: number;
  y: number;
  workers: number;
}

/** Centres of the markers of one series in a chart, on the page. */
async function markerCentres(page: Page, chart: string, series: string): Promise<MarkerBox[]> {
  return page.$$eval(`svg.${chart} .chart-point.${series}`, (points) =>
    points.map((point) => {
      const box = (point.querySelector('.chart-marker') as SVGGraphicsElement).getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2, workers: Number((point as SVGGElement).dataset.x) };
    }),
  );
}

describeNeeding(['chromium'], 'the scaling lab view (headless Chromium)', function () {
  this.timeout(120_000);
  const browser = sharedBrowser();

  it('shows a scaling report: runs, charts, fit, predictions, breakdown and verdict, offline', async () => {
    const result = scalingResult();
    const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-scaling.html`);
    await writeScalingReport(file, result);
    const { page, consoleErrors, requests } = await watchedPage(browser());
    await page.goto(pathToFileURL(file).href);
    await waitForRenders(page);

    assert.equal(await page.locator('#scaling-heading').innerText(), 'Run in parallel: count_primes over range(16) (16 items)');
    assert.equal(await page.locator('.run-views').isHidden(), true, 'the run views are hidden');

    const rows = await page.$$eval('.mode-table tbody tr', (trs) =>
      trs.map((tr) => ({ mode: (tr as HTMLElement).dataset.mode, workers: Number((tr as HTMLElement).dataset.workers), speedup: tr.querySelector('.speedup')?.textContent, oversubscribed: tr.classList.contains('oversubscribed'), text: (tr as HTMLElement).innerText })),
    );
    assert.equal(rows.length, result.modes.length, 'a row per mode');
    result.modes.forEach((expected, i) => {
      assert.equal(rows[i].mode, expected.mode);
      assert.equal(rows[i].workers, expected.workers);
      assert.equal(rows[i].speedup, formatSpeedup(expected.speedup), `the speedup of ${expected.mode} × ${expected.workers}`);
      assert.equal(rows[i].oversubscribed, expected.mode !== 'sequential' && expected.workers > result.cores, `${expected.mode} × ${expected.workers} marked oversubscribed or not`);
      assert.match(rows[i].text, /✓ same/);
    });
    assert.match(rows[6].text, /more workers than cores/i, 'the oversubscribed run says so in words');

    // The speedup chart: ideal line, fit curve, a point per process run, the thread point, two predictions.
    assert.equal(await page.locator('svg.speedup-chart polyline.series-ideal').count(), 1, 'the ideal line');
    assert.equal(await page.locator('svg.speedup-chart path.series-fit').count(), 1, 'the Amdahl fit curve');
    assert.equal(await page.locator('svg.speedup-chart polyline.series-processes').count(), 1, 'the process-pool line');
    const processPoints = await markerCentres(page, 'speedup-chart', 'series-processes');
    assert.deepEqual(processPoints.map((point) => point.workers), [1, 2, 3, 4, 8], 'a point per process-pool run');
    const at = (workers: number): MarkerBox => processPoints.find((point) => point.workers === workers) as MarkerBox;
    assert.ok(at(2).y < at(1).y - 20, `the 2-worker point (y ${at(2).y}) is above the 1-worker point (y ${at(1).y})`);
    assert.ok(at(4).y < at(2).y && at(8).y > at(4).y, 'the speedup rises to 4 workers and falls with 8');
    assert.ok(at(1).x < at(2).x && at(4).x < at(8).x, 'more workers lie further right');
    assert.equal(await page.locator('svg.speedup-chart .chart-point.series-processes.oversubscribed').count(), 1, 'the 8-worker point is drawn hollow');
    assert.equal((await markerCentres(page, 'speedup-chart', 'series-threads')).length, 1, 'the thread pool point');
    const predictions = await markerCentres(page, 'speedup-chart', 'series-prediction');
    assert.deepEqual(predictions.map((point) => point.workers), [2, 4], 'prediction markers at 2 workers and all cores');
    assert.ok(Math.abs(predictions[0].x - at(2).x) < 1, 'the 2-worker prediction sits at the 2-worker x');
    assert.ok(predictions[1].y < at(4).y, 'the 3.5× prediction is drawn above the 3.1× measurement');
    const fitBox = await page.locator('svg.speedup-chart path.series-fit').boundingBox();
    assert.ok(fitBox && fitBox.width > 200, 'the fit curve spans the chart');
    assert.equal(await page.locator('svg.efficiency-chart .chart-point.series-processes').count(), 5, 'the efficiency chart has a point per process run');
    assert.equal(await page.locator('svg.speedup-chart title').first().textContent(), 'Speedup against the number of workers');
    assert.match((await page.locator('.chart-caption').first().innerText()) ?? '', /at best 3\.1× with 4 workers/);

    // The fit, the predictions beside the measurements, the breakdown, the verdict and warnings.
    assert.match(await page.locator('.amdahl').innerText(), /Serial fraction: 8 %[\s\S]*at most 12\.5× faster/);
    const predictionLines = await page.locator('.predictions li').allInnerTexts();
    assert.deepEqual(predictionLines, ['With 2 workers: you predicted 2.0×, measured 1.8×.', 'With 4 workers (all 4 cores): you predicted 3.5×, measured 3.1×.']);
    assert.equal(await page.locator('.breakdown-table tbody tr').count(), result.breakdown.length, 'a breakdown row per process run');
    const eight = await page.locator('.breakdown-table tbody tr[data-workers="8"]').innerText();
    assert.match(eight, /2 KiB[\s\S]*170 ms[\s\S]*40\.0 ms[\s\S]*12\.0 ms[\s\S]*260 ms[\s\S]*310 ms/, `the 8-worker costs: ${eight}`);
    assert.equal(await page.locator('.breakdown-table tbody tr[data-workers="8"] rect.segment').count(), 5, 'five parts in the 8-worker bar');
    assert.match(await page.locator('.breakdown-table tbody tr[data-workers="4"]').innerText(), /120 ms\s+—/, 'an unmeasured part reads "—"');
    assert.equal(await page.locator('.breakdown-table tbody tr[data-workers="1"] rect.segment').count(), 2, 'zero-cost parts are not drawn');
    assert.equal(await page.locator('.scaling-verdict').innerText(), result.verdict);
    assert.deepEqual(await page.locator('.scaling-warnings li').allInnerTexts(), [`⚠ ${result.warnings[0]}`]);

    // Keyboard: Tab reaches the chart points, and the readout says what the point is.
    let focused = '';
    for (let i = 0; i < 10 && !focused.includes('chart-point'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('class') ?? '');
    }
    assert.match(focused, /chart-point/, 'Tab reaches a chart point');
    assert.match(await page.locator('.chart-readout').first().innerText(), /Process pool, 1 worker: speedup 0\.9×/);

    await page.screenshot({ path: artifactPath('scaling-report.png'), fullPage: true });

    // Narrow: nothing overflows the page sideways; the charts shrink to the width.
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth, chart: document.querySelector('svg.speedup-chart')?.getBoundingClientRect().width ?? 0 }));
    assert.ok(overflow.page <= overflow.view, `no sideways scrolling at 360 px (${overflow.page} > ${overflow.view})`);
    assert.ok(overflow.chart > 250 && overflow.chart <= 360, `the chart fits the width (${overflow.chart} px)`);

    assert.deepEqual(consoleErrors, [], 'no console error');
    assert.deepEqual(requests, [pathToFileURL(file).href], 'no request but the page itself');
    await page.close();
  });

  it('shows the spread of the runs: the range and count in the table, a bar per point and the band alone in the charts', async () => {
    const result = scalingResult();
    const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-scaling-spread.html`);
    await writeScalingReport(file, result);
    const { page, consoleErrors } = await watchedPage(browser());
    await page.goto(pathToFileURL(file).href);
    await waitForRenders(page);

    // The table: median, range, number of runs and the comparison with running alone, in words.
    const rows = await page.$$eval('.mode-table tbody tr', (trs) =>
      trs.map((tr) => ({
        key: `${(tr as HTMLElement).dataset.mode}:${(tr as HTMLElement).dataset.workers}`,
        wall: tr.querySelector('.wall')?.textContent,
        spread: tr.querySelector('.spread')?.textContent,
        everyRun: tr.querySelector('.spread')?.getAttribute('title'),
        runs: tr.querySelector('.runs')?.textContent,
        against: tr.querySelector('.against')?.textContent,
      })),
    );
    const row = (key: string): (typeof rows)[number] => rows.find((entry) => entry.key === key) ?? assert.fail(`no row ${key}`);
    assert.deepEqual(row('sequential:1'), { key: 'sequential:1', wall: '1.60 s', spread: '1.56–1.68 s', everyRun: 'Every run: 1.56 s, 1.60 s, 1.68 s', runs: '3', against: '—' });
    assert.deepEqual([row('threads:4').spread, row('threads:4').against], ['1.55–1.70 s', 'no measurable difference']);
    assert.equal(row('processes:1').against, 'no measurable difference', 'apart, but the medians within 10 %');
    assert.deepEqual([row('processes:2').spread, row('processes:2').against], ['880–940 ms', 'faster']);
    assert.deepEqual([row('processes:8').wall, row('processes:8').spread, row('processes:8').runs], ['570 ms', '530–650 ms', '6'], 'from 6 runs the fastest and slowest drop out of the range');
    assert.match(await page.locator('.mode-table-note').innerText(), /at least 3 times.*fastest run to the slowest.*do not overlap and the medians are 10 % apart/s);

    // The speedup chart: a bar per measured point, from the speedup of its slowest run to its fastest.
    const bars = await page.$$eval('svg.speedup-chart .chart-range', (groups) =>
      groups.map((group) => {
        const box = group.getBoundingClientRect();
        const data = (group as SVGGElement).dataset;
        return { series: group.getAttribute('class') ?? '', workers: Number(data.x), low: Number(data.low), high: Number(data.high), top: box.top, bottom: box.bottom };
      }),
    );
    const processBars = bars.filter((bar) => bar.series.includes('series-processes'));
    assert.deepEqual(processBars.map((bar) => bar.workers), [1, 2, 3, 4, 8], 'a bar per process pool');
    const bar = (workers: number, series = 'series-processes'): (typeof bars)[number] => bars.find((entry) => entry.workers === workers && entry.series.includes(series)) ?? assert.fail(`no bar at ${workers}`);
    const four = result.modes.find((entry) => entry.mode === 'processes' && entry.workers === 4) as ScalingMode;
    assert.ok(Math.abs(bar(4).low - 1600 / 560) < 1e-9 && Math.abs(bar(4).high - 1600 / 505) < 1e-9, `the 4-worker bar spans the speedups of its slowest and fastest runs: ${JSON.stringify(bar(4))}`);
    assert.deepEqual([bar(4).low, bar(4).high], [four.speedupRange.low, four.speedupRange.high]);
    const height = (workers: number): number => bar(workers).bottom - bar(workers).top;
    const ratio = height(8) / height(4);
    const expected = (1600 / 530 - 1600 / 650) / (1600 / 505 - 1600 / 560);
    assert.ok(Math.abs(ratio - expected) < 0.15, `the 8-worker bar is drawn ${ratio.toFixed(2)}× as tall as the 4-worker bar, its spread ${expected.toFixed(2)}×`);
    for (const point of await markerCentres(page, 'speedup-chart', 'series-processes')) {
      assert.ok(point.y >= bar(point.workers).top - 1 && point.y <= bar(point.workers).bottom + 1, `the ${point.workers}-worker point sits on its bar`);
    }
    // The band alone: the thread pool's bar reaches into it (no measurable difference), the 2-worker pool's does not.
    const band = await page.locator('svg.speedup-chart rect.chart-band.series-alone').boundingBox();
    assert.ok(band && band.height > 1, 'the band of the sequential runs is drawn');
    const overlaps = (entry: (typeof bars)[number]): boolean => entry.top <= band.y + band.height && entry.bottom >= band.y;
    assert.equal(overlaps(bar(4, 'series-threads')), true, 'the thread pool\'s bar reaches into the band');
    assert.equal(overlaps(bar(2)), false, 'the 2-worker pool\'s bar is clear of it');
    assert.match(await page.locator('#speedup-chart-legend, .chart-legend').first().innerText(), /Range of the runs[\s\S]*Range of the runs alone: within it, no measurable difference/);
    assert.equal(await page.locator('svg.efficiency-chart .chart-range').count(), 6, 'the efficiency chart has a bar per process pool and one for the thread pool');

    // A point's label reads its range too.
    assert.match((await page.locator('svg.speedup-chart .chart-point.series-threads').getAttribute('aria-label')) ?? '', /Thread pool, 4 workers: speedup 1\.0×, runs 0\.9–1\.0× \(3 runs\)/);

    await page.screenshot({ path: artifactPath('scaling-spread.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('shows a scaling result sent to the live panel instead of the run, and the run again after', async () => {
    const record = syntheticRecord();
    const { page, consoleErrors } = await watchedPage(browser());
    await openPanel(page);
    await sendToPanel(page, { type: 'record', record, source: { file: record.file, text: COUNTER_SOURCE } });
    await waitForRenders(page, 1);
    assert.equal(await page.locator('.process-table').isVisible(), true, 'the run shows first');

    await sendToPanel(page, { type: 'scaling', result: scalingResult() });
    await page.waitForSelector('#scaling-heading', { state: 'visible' });
    assert.equal(await page.locator('.process-table').isVisible(), false, 'the run views give way to the scaling view');
    assert.equal(await page.locator('svg.speedup-chart .chart-point.series-processes').count(), 5);

    await sendToPanel(page, { type: 'record', record, source: null });
    await page.waitForSelector('.process-table', { state: 'visible' });
    assert.equal(await page.locator('.view.scaling').isVisible(), false, 'a new record replaces the scaling view');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
