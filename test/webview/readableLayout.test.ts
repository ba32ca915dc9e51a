// The panel a learner can read, in headless Chromium: the HTML report of a real run at
// 1400 px, and at 600 px as in a VS Code panel column (the same bundle; only the adapter
// differs). The code view's gutter is narrow, a long code line and a line's figures are
// shown whole, the processes table stays inside its own box, and the timeline's message
// arrows at the whole-run zoom are bounded by the pixels, not by the thousands of messages.

import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeHtmlReport } from '../../src/extension/engine/export/htmlReport';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { describeLineActivity, lineActivity } from '../../src/shared/lineActivity';
import type { RunRecord } from '../../src/shared/runRecord';
import { LABEL_WIDTH } from '../../src/webview/timeline/layout';
import { artifactPath, sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';
import { openPanel, sendToPanel } from './panelPage';

const ORDERS = 1500;
/** The annotated line the learner wrote long: it must be shown whole at both widths. */
const LONG_LINE = 'orders.put(number)  # one order per message: the cooks take them as they come, in any order';

const PROGRAM = `
  from multiprocessing import Process, Queue

  ORDERS = ${ORDERS}


  def cook(orders, dishes):
      while True:
          order = orders.get()
          if order is None:
              break
          dishes.put(order * 2)


  if __name__ == "__main__":
      orders, dishes = Queue(), Queue()
      cooks = [Process(target=cook, args=(orders, dishes)) for _ in range(3)]
      for each in cooks:
          each.start()
      for number in range(ORDERS):
          ${LONG_LINE}
      for _ in cooks:
          orders.put(None)
      total = sum(dishes.get() for _ in range(ORDERS))
      for each in cooks:
          each.join()
      print(total)
`;

interface TextFit {
  text: string;
  /** Characters (not spaces) outside the code box, or cut off by the element's own box. */
  clipped: number;
  scrollWidth: number;
  clientWidth: number;
}

interface Geometry {
  gutterPx: number;
  longLine: TextFit;
  figure: TextFit;
  pageScrollWidth: number;
  pageWidth: number;
  processes: { sectionRight: number; columnRight: number; scrollerRight: number; tableRight: number; scrollWidth: number; clientWidth: number; overflowX: string };
  codeSectionLeft: number;
}

/** Boxes and character positions, measured in the page. */
function measure(page: Page, longLine: number): Promise<Geometry> {
  return page.evaluate((line) => {
    const codeBox = document.querySelector('.code-lines') as HTMLElement;
    const bounds = codeBox.getBoundingClientRect();
    const left = bounds.left + codeBox.clientLeft;
    const right = left + codeBox.clientWidth;
    const fit = (element: HTMLElement): TextFit => {
      const node = element.firstChild as Text;
      const text = node.data;
      // Inside the code view, and inside the element itself where it clips (an ellipsis).
      const own = element.getBoundingClientRect();
      const clips = getComputedStyle(element).overflowX !== 'visible';
      let clipped = 0;
      const range = document.createRange();
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i])) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.left < left - 0.5 || rect.right > right + 0.5 || (clips && (rect.left < own.left - 0.5 || rect.right > own.right + 0.5))) clipped++;
      }
      return { text: element.innerText, clipped, scrollWidth: element.scrollWidth, clientWidth: element.clientWidth };
    };
    const row = (n: number): HTMLElement => document.querySelector(`.code-line[data-line="${n}"]`) as HTMLElement;
    const firstCode = row(1).querySelector('.line-text')?.firstChild as Text;
    const range = document.createRange();
    range.setStart(firstCode, 0);
    range.setEnd(firstCode, 1);
    const section = (document.querySelector('.processes') as HTMLElement).getBoundingClientRect();
    const scroller = document.querySelector<HTMLElement>('.processes .table-scroll');
    const table = (document.querySelector('.process-table') as HTMLElement).getBoundingClientRect();
    const box: HTMLElement = scroller ?? (document.querySelector('.process-table') as HTMLElement);
    return {
      gutterPx: range.getBoundingClientRect().left - left,
      longLine: fit(row(line).querySelector('.line-text') as HTMLElement),
      figure: fit(row(line).querySelector('.annotation') as HTMLElement),
      pageScrollWidth: document.documentElement.scrollWidth,
      pageWidth: document.documentElement.clientWidth,
      processes: {
        sectionRight: section.right,
        columnRight: (document.querySelector('.main-column') as HTMLElement).getBoundingClientRect().right,
        scrollerRight: box.getBoundingClientRect().right,
        tableRight: table.right,
        scrollWidth: box.scrollWidth,
        clientWidth: box.clientWidth,
        overflowX: getComputedStyle(box).overflowX,
      },
      codeSectionLeft: (document.querySelector('.code') as HTMLElement).getBoundingClientRect().left,
    };
  }, longLine);
}

/** Messages the timeline can draw (a send paired with its receipt), and the process pairs they join. */
function pairedMessages(record: RunRecord): { messages: number; pairs: number } {
  const sends = new Map<string, number>();
  const receipts = new Map<string, number>();
  for (const event of record.ipcEvents) {
    if (event.message === undefined) continue;
    (event.op === 'put' || event.op === 'send' ? sends : receipts).set(event.message, event.pid);
  }
  const pairs = new Set<string>();
  let messages = 0;
  for (const [message, from] of sends) {
    const to = receipts.get(message);
    if (to === undefined) continue;
    messages++;
    pairs.add(`${from}>${to}`);
  }
  return { messages, pairs: pairs.size };
}

/** What a learner must be able to read at this width: the same in the report and in the VS Code panel. */
async function checkReadable(page: Page, record: RunRecord, longLine: number, width: number): Promise<void> {
  const geometry = await measure(page, longLine);

  assert.ok(geometry.gutterPx < 60, `the code starts ${geometry.gutterPx.toFixed(0)} px into the code view (gutter under 60 px)`);
  assert.ok(geometry.longLine.text.includes(LONG_LINE), `line ${longLine} is the long line: ${geometry.longLine.text}`);
  assert.equal(geometry.longLine.clipped, 0, `every character of the ${LONG_LINE.length + 8}-character line is inside the code view`);
  assert.ok(geometry.longLine.scrollWidth <= geometry.longLine.clientWidth, 'the code line has no hidden overflow');

  const stats = lineActivity(record, record.file).find((activity) => activity.line === longLine);
  assert.ok(stats && stats.messages === ORDERS, `line ${longLine} put ${ORDERS} messages: ${JSON.stringify(stats)}`);
  assert.equal(geometry.figure.text, describeLineActivity(stats), 'the line figure is there in full');
  assert.equal(geometry.figure.clipped, 0, `every character of the figure "${geometry.figure.text}" is inside the code view`);
  assert.ok(geometry.figure.scrollWidth <= geometry.figure.clientWidth, 'the figure has no hidden overflow (no ellipsis)');

  const p = geometry.processes;
  assert.ok(p.scrollerRight <= p.sectionRight + 0.5 && p.sectionRight <= p.columnRight + 0.5, `the processes table's box ends inside its column: ${JSON.stringify(p)}`);
  if (width >= 1400) {
    assert.ok(p.tableRight <= p.sectionRight + 0.5, `at ${width} px the processes table fits its column: ${JSON.stringify(p)}`);
    assert.ok(p.sectionRight < geometry.codeSectionLeft, 'the processes table stays clear of the code view');
  } else {
    assert.ok(p.tableRight <= p.scrollerRight + 0.5 || (p.scrollWidth > p.clientWidth && p.overflowX === 'auto'), `the rest of the table scrolls within its box: ${JSON.stringify(p)}`);
  }
  assert.ok(geometry.pageScrollWidth <= geometry.pageWidth, `nothing widens the page (${geometry.pageScrollWidth} px in ${geometry.pageWidth} px)`);

  const { messages, pairs } = pairedMessages(record);
  assert.ok(messages >= 2 * ORDERS, `the run has thousands of paired messages: ${messages}`);
  const shown = await page.evaluate(() => window.parallelLab?.timelineArrows());
  assert.ok(shown, 'the timeline reports its arrows');
  const plotWidth = (await page.locator('canvas.timeline-canvas').evaluate((canvas) => canvas.clientWidth)) - LABEL_WIDTH;
  assert.equal(shown.messages, messages, 'the whole-run view accounts for every message');
  const bound = pairs * Math.ceil(plotWidth / 4);
  assert.ok(shown.marks <= bound, `${shown.marks} arrows for ${messages} messages between ${pairs} process pairs in ${plotWidth} px (at most one per 4 px per pair: ${bound})`);
}

describeNeeding(['chromium'], 'a readable panel at 1400 px and 600 px (headless Chromium, a real run)', function () {
  this.timeout(180_000);
  const browser = sharedBrowser();
  let record: RunRecord;
  let reportFile: string;
  let longLine: number;

  before(async function () {
    this.timeout(120_000);
    const file = writeProgram('kitchen_orders.py', PROGRAM);
    const run = await ProfileRun.start({ file });
    record = withEventArray(await run.finished);
    assert.equal(record.exitCode, 0, record.stderr);
    assert.equal(record.stdout, `${ORDERS * (ORDERS - 1)}\n`);
    reportFile = path.join(os.tmpdir(), `parallel-lab-${process.pid}-readable.html`);
    await writeHtmlReport(reportFile, record);
    longLine = PROGRAM.replace(/^\n/, '').split('\n').findIndex((text) => text.includes(LONG_LINE)) + 1;
    assert.ok(LONG_LINE.length + 8 >= 80, 'the long line (indented) is at least 80 characters');
  });

  after(() => rmSync(reportFile, { force: true }));

  for (const width of [1400, 600]) {
    it(`shows the code, the line figures and the processes whole, and bounds the message arrows, at ${width} px`, async () => {
      const { page, consoleErrors } = await watchedPage(browser(), { width, height: 1000 });
      await page.goto(pathToFileURL(reportFile).href);
      await waitForRenders(page);
      await page.screenshot({ path: artifactPath(`readable-${width}.png`), fullPage: true });
      await page.locator(`.code-line[data-line="${longLine}"]`).screenshot({ path: artifactPath(`readable-${width}-long-line.png`) });
      await checkReadable(page, record, longLine, width);
      assert.deepEqual(consoleErrors, []);
      await page.close();
    });
  }

  it('shows the same in the VS Code panel (its adapter) in a 600 px column', async () => {
    const { page, consoleErrors } = await watchedPage(browser(), { width: 600, height: 1000 });
    await openPanel(page);
    await sendToPanel(page, { type: 'record', record, source: { file: record.file, text: readFileSync(record.file, 'utf8') } });
    await waitForRenders(page);
    await page.screenshot({ path: artifactPath('readable-600-panel.png'), fullPage: true });
    await checkReadable(page, record, longLine, 600);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it('draws each message as its own arrow once zoomed in', async () => {
    // The first result a cook sent back: 2 µs of the run around its send.
    const sends = record.ipcEvents.filter((event) => event.op === 'put' && event.message !== undefined && event.pid !== record.processes.find((p) => p.role === 'main')?.pid);
    const receipts = new Set(record.ipcEvents.filter((event) => event.op === 'get').map((event) => event.message));
    const result = sends.find((event) => receipts.has(event.message));
    assert.ok(result, 'a cook sent a result the parent received');
    const { page, consoleErrors } = await watchedPage(browser(), { width: 600, height: 1000 });
    await page.addInitScript((view) => sessionStorage.setItem('parallel-lab-view', JSON.stringify(view)), { viewStartMs: result.t - 0.001, viewEndMs: result.t + 0.001 });
    await page.goto(pathToFileURL(reportFile).href);
    await waitForRenders(page);
    const shown = await page.evaluate(() => window.parallelLab?.timelineArrows());
    assert.ok(shown && shown.single >= 1, `the result is drawn as an arrow of its own: ${JSON.stringify(shown)}`);
    await page.screenshot({ path: artifactPath('readable-600-zoomed.png'), fullPage: false });
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
