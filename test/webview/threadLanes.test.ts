// Thread lanes and the stove in the HTML report of real runs, in headless Chromium: three
// named chefs burning CPU in one process take turns on its GIL (their lanes, the stove row of
// who held it, the sentence, their threading.Lock's events on their own lanes, the hover, the
// threads table, folding the lanes and the fold kept across a reload), three sleepers do not
// fight, and a single-threaded run looks as it did before thread lanes. Screenshots at 1400 px
// and 600 px go to test-artifacts/.

import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeHtmlReport } from '../../src/extension/engine/export/htmlReport';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { ProcessEntry, RunRecord, ThreadEntry, ThreadState } from '../../src/shared/runRecord';
import { sampleSpans } from '../../src/shared/threadShares';
import { AXIS_HEIGHT, LABEL_WIDTH, LANE_HEIGHT } from '../../src/webview/timeline/layout';
import { stoveTurns } from '../../src/webview/timeline/stoveTurns';
import type { DrawnLane } from '../../src/webview/timeline/timelineView';
import { artifactPath, sharedBrowser, waitForRenders, watchedPage, type WatchedPage } from '../helpers/browser';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';
import { hoverTimeline } from './reportChecks';

const CHEFS = `
  import threading

  STEPS = 1_500_000
  lock = threading.Lock()
  dishes = []


  def cook(steps):
      done = 0
      for i in range(steps):
          done += i % 7
          if i % (STEPS // 5) == 0:
              with lock:  # plate a dish
                  dishes.append(done)


  if __name__ == "__main__":
      chefs = [threading.Thread(target=cook, args=(STEPS,), name=f"chef-{n + 1}") for n in range(3)]
      for chef in chefs:
          chef.start()
      for chef in chefs:
          chef.join()
      print(len(dishes))
`;

const SLEEPERS = `
  import threading
  import time


  def nap():
      time.sleep(0.6)


  if __name__ == "__main__":
      sleepers = [threading.Thread(target=nap, name=f"sleeper-{n + 1}") for n in range(3)]
      for sleeper in sleepers:
          sleeper.start()
      for sleeper in sleepers:
          sleeper.join()
      print("rested")
`;

const SINGLE = `
  from multiprocessing import Lock

  if __name__ == "__main__":
      lock = Lock()
      total = 0
      for i in range(300_000):
          total += i
      with lock:
          print(total)
`;

async function profile(name: string, source: string): Promise<RunRecord> {
  const run = await ProfileRun.start({ file: writeProgram(name, source) });
  const record = withEventArray(await run.finished);
  assert.equal(record.exitCode, 0, record.stderr);
  return record;
}

async function openReport(watched: WatchedPage, record: RunRecord, name: string): Promise<void> {
  const file = path.join(os.tmpdir(), `parallel-lab-${process.pid}-${name}.html`);
  await writeHtmlReport(file, record);
  await watched.page.goto(pathToFileURL(file).href);
  await waitForRenders(watched.page);
}

function lanes(page: Page): Promise<DrawnLane[]> {
  return page.evaluate(() => window.parallelLab?.timelineLanes() ?? []);
}

/** The colour painted at a point of the timeline canvas (CSS pixels), as [r, g, b, a]. */
function pixelAt(page: Page, point: { x: number; y: number }): Promise<number[]> {
  return page.evaluate(({ x, y }) => {
    const canvas = document.querySelector('canvas.timeline-canvas') as HTMLCanvasElement;
    const ratio = canvas.width / canvas.clientWidth;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    return Array.from(context.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data);
  }, point);
}

/** A theme colour of the page, as [r, g, b, 255]. */
async function themeColour(page: Page, variable: string): Promise<number[]> {
  const hex = await page.evaluate((name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim(), variable);
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  assert.ok(match, `${variable} is a hex colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16), 255];
}

/** The middle of the widest sample interval of a thread in a state, and the canvas x it is drawn at. */
async function widestSpan(page: Page, laneIndex: number, thread: ThreadEntry, state: ThreadState): Promise<{ t: number; point: { x: number; y: number }; widthPx: number }> {
  const spans = sampleSpans(thread).filter((span) => span.sample.state === state);
  assert.ok(spans.length > 0, `${thread.name} has a sample in state ${state}: ${JSON.stringify(thread.samples.slice(0, 20))}`);
  const widest = spans.reduce((best, span) => (span.toMs - span.fromMs > best.toMs - best.fromMs ? span : best));
  const t = (widest.fromMs + widest.toMs) / 2;
  const point = await page.evaluate(({ lane, at }) => window.parallelLab?.timelineRowPoint(lane, 'state', at) ?? null, { lane: laneIndex, at: t });
  const start = await page.evaluate(({ lane, at }) => window.parallelLab?.timelineRowPoint(lane, 'state', at) ?? null, { lane: laneIndex, at: widest.fromMs });
  assert.ok(point && start, `lane ${laneIndex} has a state row`);
  return { t, point, widthPx: 2 * (point.x - start.x) };
}

function mainProcess(record: RunRecord): ProcessEntry {
  const main = record.processes.find((process) => process.role === 'main');
  assert.ok(main, 'the run has a main process');
  return main;
}

/** The lanes are stacked without overlap: each starts where the one above it ends. */
function assertStacked(drawn: DrawnLane[]): void {
  drawn.forEach((lane, i) => {
    assert.equal(lane.top, i === 0 ? AXIS_HEIGHT : drawn[i - 1].top + drawn[i - 1].height, `lane ${i} (${lane.label}) starts where the one above ends`);
  });
}

describeNeeding(['chromium'], 'thread lanes and the stove (headless Chromium, real runs)', function () {
  this.timeout(180_000);
  const browser = sharedBrowser();
  let chefs: RunRecord;

  before(async function () {
    this.timeout(120_000);
    chefs = await profile('chefs.py', CHEFS);
  });

  it('gives each chef a lane under its process, with its name, its states, its lock events, the stove row and the sentence', async () => {
    const main = mainProcess(chefs);
    const threads = main.threads ?? [];
    assert.deepEqual(threads.map((thread) => thread.name), ['MainThread', 'chef-1', 'chef-2', 'chef-3']);
    const watched = await watchedPage(browser());
    const { page, consoleErrors } = watched;
    await openReport(watched, chefs, 'chefs');

    const drawn = await lanes(page);
    assertStacked(drawn);
    const processLane = drawn.findIndex((lane) => lane.kind === 'process' && lane.pid === main.pid);
    assert.equal(drawn[processLane + 1].kind, 'stove', 'the stove row comes first under the process');
    const threadLanes = drawn.slice(processLane + 2, processLane + 2 + threads.length);
    assert.deepEqual(threadLanes.map((lane) => [lane.kind, lane.label, lane.tid]), threads.map((thread) => ['thread', thread.name, thread.tid]), 'a lane per thread, named, in order');

    // Every chef's lock events are on its own lane: the lock event's tid is its thread's.
    const chefEvents = chefs.lockEvents.filter((event) => event.pid === main.pid && threads.slice(1).some((thread) => thread.tid === event.tid));
    assert.ok(chefEvents.length >= 3, `the chefs took the lock: ${chefEvents.length} events`);
    for (const [i, thread] of threads.entries()) {
      assert.equal(threadLanes[i].lockEvents, chefs.lockEvents.filter((event) => event.pid === main.pid && event.tid === thread.tid).length, `${thread.name}'s lock events on its lane`);
    }
    const eventIndex = chefs.lockEvents.indexOf(chefEvents[0]);
    const eventPoint = await page.evaluate((i) => window.parallelLab?.lockEventPoint(i) ?? null, eventIndex);
    const ownLane = threadLanes[threads.findIndex((thread) => thread.tid === chefEvents[0].tid)];
    assert.ok(eventPoint && eventPoint.y > ownLane.top && eventPoint.y < ownLane.top + ownLane.height, `the lock event is drawn on ${ownLane.label}'s lane`);
    assert.match(await hoverTimeline(page, eventPoint.x, eventPoint.y), new RegExp(`PID ${main.pid}, thread ${ownLane.label} \\(tid ${ownLane.tid}\\)`));

    // States as colour and pattern: running solid green; waiting for the GIL cross-hatched purple.
    const chef = threads[1];
    const chefLane = drawn.indexOf(threadLanes[1]);
    const running = await widestSpan(page, chefLane, chef, 'running');
    assert.ok(running.widthPx >= 3, `a running interval at least 3 px wide (${running.widthPx.toFixed(1)} px)`);
    assert.deepEqual(await pixelAt(page, running.point), await themeColour(page, '--vscode-charts-green'), 'running is painted solid green');
    const hover = await hoverTimeline(page, running.point.x, running.point.y);
    assert.match(hover, new RegExp(`^Thread chef-1 \\(tid ${chef.tid}\\) of PID ${main.pid}\\n+Running on a core, CPU \\d+ %`), hover);
    const gil = await widestSpan(page, chefLane, chef, 'waiting-for-gil');
    const gilPixel = await pixelAt(page, gil.point);
    assert.ok(gilPixel[3] > 0, 'a wait for the GIL is painted');
    assert.notDeepEqual(gilPixel, await themeColour(page, '--vscode-charts-green'), 'unlike running');
    assert.match(await hoverTimeline(page, gil.point.x, gil.point.y), /Waiting for the GIL \(ready to run Python; another thread held it\), CPU \d+ %/);
    const legend = await page.locator('.thread-legend').innerText();
    assert.match(legend, /running on a core \(solid\).*waiting for the GIL.*\(cross-hatched\)/s, legend);

    // The stove row: the longest turn, in its holder's colour (the swatch by its name), named in the hover, with the sentence.
    const turn = stoveTurns(threads).filter((candidate) => candidate.holder > 0).reduce((best, candidate) => (candidate.toMs - candidate.fromMs > best.toMs - best.fromMs ? candidate : best));
    const holder = threads[turn.holder].name;
    const stovePoint = await page.evaluate(({ lane, t }) => window.parallelLab?.timelineRowPoint(lane, 'turns', t) ?? null, { lane: processLane + 1, t: (turn.fromMs + turn.toMs) / 2 });
    assert.ok(stovePoint);
    // Near the row's top, above any thread name written in the turn.
    stovePoint.y -= 5.5;
    const swatch = await pixelAt(page, { x: 18, y: threadLanes[turn.holder].top + threadLanes[turn.holder].height / 2 });
    assert.deepEqual(await pixelAt(page, stovePoint), swatch, `${holder}'s turn is painted in the colour of the swatch by its name`);
    const stoveHover = await hoverTimeline(page, stovePoint.x, stovePoint.y);
    assert.match(stoveHover, new RegExp(`${holder} held the stove \\(the GIL\\) from [\\d.]+ m?s to [\\d.]+ m?s, and ran [\\d.]+ m?s of it`), stoveHover);
    assert.match(stoveHover, /threads shared one stove/, stoveHover);
    const stoveSentence = await page.locator(`.threads-of[data-pid="${main.pid}"] .stove-sentence`).innerText();
    // The chefs, and the main thread too when it fought them for the GIL while it started them.
    assert.match(stoveSentence, /^[34] threads shared one stove: .+ of the time; while one ran, the others waited for the GIL/, stoveSentence);
    assert.ok((await page.locator('.summary p.stove').allInnerTexts()).includes(`PID ${main.pid} (MainProcess): ${stoveSentence}`), 'the summary says it too');

    // The threads table: name, tid, CPU time, share of its life on a core, its wait for the GIL and share of the time read fast.
    const rows = await page.locator(`.threads-of[data-pid="${main.pid}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => (cell as HTMLElement).innerText)));
    assert.deepEqual(rows.map((row) => [row[0], row[1]]), threads.map((thread) => [thread.name, String(thread.tid)]));
    for (const row of rows.slice(1)) assert.match(row.slice(2).join(' | '), /^[\d.]+ m?s \| [\d.]+ % \| [\d.]+ m?s \([\d.]+ %\)$/, `a chef's row: ${row.join(' | ')}`);

    await page.screenshot({ path: artifactPath('thread-lanes-1400.png'), fullPage: true });
    await page.setViewportSize({ width: 600, height: 1000 });
    await page.waitForFunction((width) => (document.querySelector('canvas.timeline-canvas') as HTMLCanvasElement).clientWidth < width, 600);
    assertStacked(await lanes(page));
    const narrow = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth, canvas: (document.querySelector('canvas.timeline-canvas') as HTMLCanvasElement).getBoundingClientRect().right }));
    assert.ok(narrow.page <= narrow.width && narrow.canvas <= narrow.width, `nothing spills out of a 600 px panel: ${JSON.stringify(narrow)}`);
    await page.screenshot({ path: artifactPath('thread-lanes-600.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('folds a process\'s thread lanes with a click on its name, keeps the fold across a reload, and shows them again', async () => {
    const main = mainProcess(chefs);
    const watched = await watchedPage(browser());
    const { page } = watched;
    await openReport(watched, chefs, 'chefs-fold');
    const before = await lanes(page);
    const processLane = before.find((lane) => lane.kind === 'process' && lane.pid === main.pid);
    assert.ok(processLane);
    const label = { x: 20, y: processLane.top + processLane.height / 2 };
    assert.match(await hoverTimeline(page, label.x, label.y), /^Fold the lanes of its 4 threads/);
    const box = await page.locator('canvas.timeline-canvas').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + label.x, box.y + label.y);
    await page.waitForFunction((pid) => window.parallelLab?.viewState.foldedThreadPids.includes(pid), main.pid);
    const folded = await lanes(page);
    assert.ok(!folded.some((lane) => lane.pid === main.pid && lane.kind !== 'process'), 'no thread lanes once folded');
    assert.equal(folded.find((lane) => lane.pid === main.pid)?.lockEvents, chefs.lockEvents.filter((event) => event.pid === main.pid).length, 'the lock events back on the process\'s lane');
    assert.equal(await page.locator('.threads-of').count(), 1, 'the threads table stays');

    await page.reload();
    await waitForRenders(page);
    assert.ok(!(await lanes(page)).some((lane) => lane.kind === 'thread'), 'still folded after a reload (view state)');
    await page.locator('canvas.timeline-canvas').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('t');
    await page.waitForFunction(() => window.parallelLab?.viewState.foldedThreadPids.length === 0);
    // The lanes come back with the next frame drawn, which may follow the state change.
    const shownAgain = await page
      .waitForFunction(() => (window.parallelLab?.timelineLanes() ?? []).some((lane) => lane.kind === 'thread'), undefined, { timeout: 5_000 })
      .then(() => true, () => false);
    assert.ok(shownAgain, 'T shows them again');
    await page.close();
  });

  it('draws sleeping threads asleep side by side, with no stove row and no fight', async () => {
    const record = await profile('sleepers.py', SLEEPERS);
    const main = mainProcess(record);
    const threads = main.threads ?? [];
    assert.deepEqual(threads.map((thread) => thread.name), ['MainThread', 'sleeper-1', 'sleeper-2', 'sleeper-3']);
    assert.ok(!threads.some((thread) => thread.samples.some((sample) => sample.state === 'waiting-for-gil')), 'no thread waited for the GIL');
    const watched = await watchedPage(browser());
    const { page, consoleErrors } = watched;
    await openReport(watched, record, 'sleepers');
    const drawn = await lanes(page);
    assert.deepEqual(drawn.filter((lane) => lane.pid === main.pid).map((lane) => `${lane.kind}:${lane.label}`), ['process:' + `${main.pid} MainProcess`, ...threads.map((thread) => `thread:${thread.name}`)], 'lanes, and no stove row');
    const sleeper = threads[1];
    const laneIndex = drawn.findIndex((lane) => lane.tid === sleeper.tid);
    const asleep = await widestSpan(page, laneIndex, sleeper, 'waiting');
    assert.deepEqual(await pixelAt(page, asleep.point), await themeColour(page, '--vscode-descriptionForeground'), 'asleep: the thin grey bar across the middle of the row');
    const aboveBar = await pixelAt(page, { x: asleep.point.x, y: asleep.point.y - 3 });
    assert.equal(aboveBar[3], 0, 'and nothing above it: a sleeping thread is not drawn as running');
    assert.match(await hoverTimeline(page, asleep.point.x, asleep.point.y), new RegExp(`Thread sleeper-1 \\(tid ${sleeper.tid}\\) of PID ${main.pid}\\n+Waiting \\(for a lock, I/O or a sleep\\), CPU \\d+ %`));
    assert.match(await page.locator('.thread-legend').innerText(), /waiting for a lock, I\/O or a sleep/);
    assert.doesNotMatch(await page.locator('body').innerText(), /shared one stove/, 'no fight is claimed');
    await page.screenshot({ path: artifactPath('thread-lanes-sleepers.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('leaves a single-threaded run as it was: one 48 px lane per process, no thread legend or tables', async () => {
    const record = await profile('single.py', SINGLE);
    assert.ok(record.processes.every((process) => (process.threads?.length ?? 0) <= 1), 'every process had one thread');
    const watched = await watchedPage(browser());
    const { page } = watched;
    await openReport(watched, record, 'single');
    const drawn = await lanes(page);
    assert.deepEqual(drawn.map((lane) => [lane.kind, lane.top, lane.height]), drawn.map((_, i) => ['process', AXIS_HEIGHT + i * LANE_HEIGHT, LANE_HEIGHT]));
    assert.equal(await page.locator('.thread-legend').isHidden(), true);
    assert.equal(await page.locator('.threads-of').count(), 0);
    // Its name is no button: nothing to fold.
    const box = await page.locator('canvas.timeline-canvas').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + LABEL_WIDTH / 2, box.y + AXIS_HEIGHT + LANE_HEIGHT / 2);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.timeline .tooltip').isHidden(), true, 'no fold offered on a process with one thread');
    await page.close();
  });
});
