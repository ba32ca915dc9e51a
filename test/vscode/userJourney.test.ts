// A new user in VS Code (code-server in headless Chromium), clicking and typing: opens the
// samples folder, runs "Parallel Lab: Profile Current File" on the counter sample from the
// command palette, and reads the panel and the editor, then on lesson 1's sample and finds its
// chefs' thread lanes; answers a program's input() in the program-output terminal.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { artifactPath, sharedBrowser } from '../helpers/browser';
import * as path from 'node:path';
import { REPO_ROOT, SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';
import { codeServerWithParallelLab, startCodeServer, type CodeServer } from './codeServer';
import { describeNeeding } from '../helpers/platformParts';

/** README.md's first screen, made again by each run of the first test below. */
const README_SCREENSHOT = path.join(REPO_ROOT, 'media', 'screenshots', 'panel-lesson.png');

async function openWorkbench(page: Page, server: CodeServer, folder = SAMPLES_DIR): Promise<void> {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.keyboard.type(name);
  // Until the file search answers, the list may show recently opened files: wait for this one.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.waitForSelector(`.tab.active[aria-label^="${name}"]`, { timeout: 30_000 });
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
}

async function runCommand(page: Page, title: string): Promise<void> {
  // Under load the palette sometimes closes again before the command shows (the focus goes
  // back to a webview that is still rendering): close whatever is open and try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await pickFromPalette(page, title);
      return;
    } catch (error) {
      if (attempt === 3) {
        await page.screenshot({ path: artifactPath('vscode-palette.png') });
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
}

async function pickFromPalette(page: Page, title: string): Promise<void> {
  const palette = '.quick-input-widget:not([style*="display: none"]) input';
  await page.keyboard.press('F1');
  // F1 pressed while a webview has the focus may not reach the workbench: the title bar's
  // command center opens the same palette by mouse.
  const opened = await page.waitForSelector(palette, { timeout: 5_000 }).then(() => true, () => false);
  if (!opened) {
    await page.locator('.command-center .action-item').first().click();
    await page.waitForSelector(palette, { timeout: 30_000 });
    await page.keyboard.type('>');
  }
  await page.keyboard.type(title);
  // The fuzzy filter may rank a longer command first: pick the row that is this command.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/**
 * The profiler webview's inner frame, once its panel has rendered a run with `rows`
 * processes that ended as `ending` says (its summary's headline, e.g. "finished"), of the
 * file named `file` when given.
 */
async function panelFrame(page: Page, rows: number, ending = 'finished', file = ''): Promise<Frame> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const rendered = await frame
        .evaluate(({ minimum, headline }) => {
          const app = window.parallelLab;
          const ended = (document.querySelector('.summary')?.textContent ?? '').includes(headline);
          return app !== undefined && ended && document.querySelectorAll('.process-table tbody tr').length >= minimum;
        }, { minimum: rows, headline: `${file}: ${ending}` })
        .catch(() => false);
      if (rendered) return frame;
    }
    await page.waitForTimeout(500);
  }
  await page.screenshot({ path: artifactPath('vscode-panel-missing.png') });
  throw new Error('the profiler panel did not show the finished run (screenshot: test-artifacts/vscode-panel-missing.png)');
}

/**
 * README.md's screenshot of the finished counter run: the code with its lock figure beside
 * the panel, at 1280 × 800 with the side bar and the terminal closed, checked to show the
 * run's headline, its lock table and its timeline before it is written.
 */
async function readmeScreenshot(page: Page): Promise<void> {
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'View: Hide Panel');
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    const frame = await panelFrame(page, 11);
    // The pointer rests below the code, where nothing shows a hover.
    await page.mouse.move(300, 700);
    await page.waitForTimeout(1000);
    const shown = await frame.evaluate(() => {
      const visible = (selector: string): boolean => {
        const box = document.querySelector(selector)?.getBoundingClientRect();
        return box !== undefined && box.height > 0 && box.top >= 0 && box.top < window.innerHeight;
      };
      return {
        headline: document.querySelector('#summary-heading')?.textContent ?? '',
        timeline: visible('canvas.timeline-canvas'),
      };
    });
    assert.match(shown.headline, /counter\.py: finished/, 'the panel shows the finished lesson run');
    assert.ok(shown.timeline, 'the timeline is on the first screen of the panel');
    const lockLine = page.locator('.monaco-editor .view-line', { hasText: 'with counter.get_lock():' }).first();
    assert.ok(await lockLine.isVisible(), 'the lock line is on screen');
    assert.ok((await afterLineTexts(page)).some((text) => /10 processes$/.test(text)), 'with its figure');
    mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: README_SCREENSHOT });
  } finally {
    await page.setViewportSize({ width: 1600, height: 1000 });
  }
}

/**
 * Lesson 1's sample, profiled from the palette: the main process's chefs each get a lane
 * under it, and the stove row shows them taking turns on its GIL.
 */
async function lessonOneThreadLanes(page: Page): Promise<void> {
  await openFile(page, 'threads_vs_processes.py');
  await runCommand(page, 'Parallel Lab: Profile Current File');
  const frame = await panelFrame(page, 3, 'finished', 'threads_vs_processes.py');
  const lanes = await frame.evaluate(() => window.parallelLab?.timelineLanes() ?? []);
  const main = lanes.find((lane) => lane.kind === 'process' && lane.label.endsWith('MainProcess'));
  assert.ok(main, `the main process has a lane: ${lanes.map((lane) => lane.label).join(', ')}`);
  const under = lanes.filter((lane) => lane.pid === main.pid && lane.kind !== 'process');
  const chefs = under.filter((lane) => lane.kind === 'thread' && /^chef-\d+$/.test(lane.label));
  assert.ok(chefs.length >= 2, `a lane per chef under the main process: ${under.map((lane) => lane.label).join(', ')}`);
  assert.equal(under[0]?.kind, 'stove', 'the stove row above them');
  await frame.locator('canvas.timeline-canvas').scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifactPath('vscode-thread-lanes.png') });
}

/** The text that editor decorations put after the lines (rendered as ::after content). */
async function afterLineTexts(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-editor .view-line span', (spans) =>
    spans
      .map((span) => getComputedStyle(span, '::after').content)
      .filter((content) => content && content !== 'none' && content !== 'normal')
      .map((content) => content.replace(/^"|"$/g, '')),
  );
}

/** What the active terminal shows, row by row (xterm's DOM renderer: GPU acceleration off). */
async function terminalText(page: Page): Promise<string> {
  return page
    .$$eval('.terminal-wrapper.active .xterm-rows > div', (rows) =>
      rows.map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'),
    )
    .catch(() => '');
}

async function waitForTerminalText(page: Page, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 90_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(250);
  }
  await page.screenshot({ path: artifactPath('vscode-terminal.png') });
  throw new Error(`the terminal did not show ${pattern} (screenshot: test-artifacts/vscode-terminal.png); it shows:\n${text}`);
}

describeNeeding(['code-server', 'chromium'], 'a new user in VS Code (code-server in headless Chromium)', function () {
  this.timeout(400_000);
  const browser = sharedBrowser();

  it('profiles the counter sample from the command palette: 11 PIDs, a painted timeline, the figure on the lock line (and the README screenshot); then lesson 1\'s chefs in thread lanes', async () => {
    const { binary, extensionsDir } = await codeServerWithParallelLab();
    // No offer to open the checkout's git repository over the screenshot.
    const server = await startCodeServer({ binary, extensionsDir, settings: { 'git.openRepositoryInParentFolders': 'never' } });
    const page = await browser().newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await openWorkbench(page, server);
      await openFile(page, 'counter.py');
      await runCommand(page, 'Parallel Lab: Profile Current File');

      const frame = await panelFrame(page, 11);
      const pids = await frame.$$eval('.process-table tbody tr', (rows) => rows.map((row) => `${(row as HTMLElement).dataset.pid} ${row.textContent ?? ''}`));
      const workers = pids.filter((row) => /Process-\d+/.test(row));
      assert.equal(workers.length, 10, `ten workers listed: ${pids.join(' | ')}`);
      assert.ok(pids.some((row) => /MainProcess/.test(row)), 'and the main process');
      assert.equal(new Set(pids.map((row) => row.split(' ')[0])).size, pids.length, 'distinct pids');

      // Around where the timeline says it drew a lock event, some pixel differs from the empty corner.
      const painted = await frame.evaluate(() => {
        const point = window.parallelLab?.lockEventPoint(0);
        const canvas = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas');
        if (!point || !canvas) return null;
        const context = canvas.getContext('2d')!;
        const ratio = canvas.width / canvas.clientWidth;
        const corner = Array.from(context.getImageData(canvas.width - 2, canvas.height - 2, 1, 1).data).join();
        const box = context.getImageData(Math.floor(point.x * ratio) - 2, Math.floor(point.y * ratio) - 2, 5, 5).data;
        let differing = 0;
        for (let i = 0; i < box.length; i += 4) if (Array.from(box.slice(i, i + 4)).join() !== corner) differing++;
        return differing;
      });
      assert.ok(painted !== null, 'a lock event is drawn on the timeline canvas');
      assert.ok(painted > 0, 'the lock segment is painted, unlike the empty corner');

      // The editor shows the figure after the `with counter.get_lock():` line.
      await page.locator('.monaco-editor .view-line', { hasText: 'with counter.get_lock():' }).first().waitFor({ timeout: 30_000 });
      const deadline = Date.now() + 30_000;
      let figures: string[] = [];
      while (Date.now() < deadline && !figures.some((text) => /10 processes/.test(text))) {
        figures = await afterLineTexts(page);
        await page.waitForTimeout(500);
      }
      assert.ok(figures.some((text) => /^waited [\d.]+ m?s · held [\d.]+ m?s · 10 processes$/.test(text)), `the lock line's figure: ${figures.join(' | ')}`);
      await page.screenshot({ path: artifactPath('vscode-counter.png') });
      await readmeScreenshot(page);

      // The panel's CSP is there and strict: a script without the nonce does not run.
      const csp = await frame.evaluate(() => {
        const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
        const script = document.createElement('script');
        script.textContent = 'window.injectedRan = true;';
        document.body.append(script);
        return { policy, ran: (window as unknown as { injectedRan?: boolean }).injectedRan === true };
      });
      assert.match(csp.policy, /default-src 'none'/);
      assert.match(csp.policy, /script-src 'nonce-[^']+'(;|$)/);
      assert.equal(csp.ran, false, 'an inline script without the nonce is refused');

      // Zoom in, hide the panel behind another editor, show it again: the zoom is restored.
      await frame.locator('canvas.timeline-canvas').focus();
      await frame.locator('canvas.timeline-canvas').press('+');
      await frame.locator('canvas.timeline-canvas').press('+');
      const zoomed = await frame.evaluate(() => window.parallelLab?.viewState);
      assert.ok(zoomed && zoomed.viewStartMs !== null && zoomed.viewEndMs !== null, 'zoomed in');
      // A new file in the panel's group hides the panel: clicking its tab makes that group active.
      await page.locator('.tab', { hasText: 'Parallel Lab Profiler' }).click();
      await runCommand(page, 'File: New Untitled Text File');
      await page.waitForFunction(() => document.querySelectorAll('.tab[aria-label^="Untitled-1"]').length > 0, undefined, { timeout: 30_000 });
      await runCommand(page, 'Parallel Lab: Show Profiler');
      const restored = await panelFrame(page, 11);
      const state = await restored.evaluate(() => window.parallelLab?.viewState);
      assert.deepEqual(
        [state?.viewStartMs, state?.viewEndMs],
        [zoomed.viewStartMs, zoomed.viewEndMs],
        'the timeline comes back at the same zoom after being hidden',
      );

      await lessonOneThreadLanes(page);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  it('runs the scaling lab from the "Run in parallel" CodeLens and shows the chart', async () => {
    const { binary, extensionsDir } = await codeServerWithParallelLab();
    const server = await startCodeServer({ binary, extensionsDir });
    const page = await browser().newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await openWorkbench(page, server);
      await openFile(page, 'map_chunksize.py');
      const lens = page.locator('.codelens-decoration a', { hasText: 'Run in parallel' }).first();
      await lens.waitFor({ timeout: 60_000 });
      await lens.click();
      // The inputs (the suggestion is range(16)), then the prediction for 2 workers.
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 30_000 });
      assert.equal(await input.inputValue(), 'range(16)');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Your prediction' }).waitFor({ timeout: 30_000 });
      await page.keyboard.type('1.8');
      await page.keyboard.press('Enter');

      const deadline = Date.now() + 180_000;
      let frame: Frame | undefined;
      while (!frame && Date.now() < deadline) {
        for (const candidate of page.frames()) {
          const shown = await candidate.evaluate(() => document.querySelectorAll('.mode-table tbody tr').length > 0).catch(() => false);
          if (shown) frame = candidate;
        }
        if (!frame) await page.waitForTimeout(500);
      }
      assert.ok(frame, 'the results view appeared in the panel');
      const view = await frame.evaluate(() => ({
        heading: document.querySelector('#scaling-heading')?.textContent ?? '',
        modes: Array.from(document.querySelectorAll<HTMLElement>('.mode-table tbody tr')).map((row) => `${row.dataset.mode}:${row.dataset.workers}`),
        processPoints: document.querySelectorAll('svg.speedup-chart .chart-point.series-processes').length,
        predictions: document.querySelectorAll('svg.speedup-chart .chart-point.series-prediction').length,
        lines: document.querySelectorAll('svg.speedup-chart .chart-line').length,
      }));
      assert.equal(view.heading, 'Run in parallel: square_slowly over range(16) (16 items)');
      assert.deepEqual(view.modes.slice(0, 2), ['sequential:1', 'threads:2']);
      assert.ok(view.modes.includes('processes:2') && view.modes.includes('processes:4'), `process pools up to 2 × cores: ${view.modes.join(', ')}`);
      assert.ok(view.processPoints >= 3, `a chart point per process pool (${view.processPoints})`);
      assert.ok(view.predictions >= 1, 'the prediction is on the chart');
      assert.ok(view.lines >= 2, 'the measured line and the ideal line are drawn');
      await page.screenshot({ path: artifactPath('vscode-run-in-parallel.png') });
    } finally {
      await page.close();
      await server.stop();
    }
  });

  it("answers the program's input() by typing in the program-output terminal: echo, Backspace, Enter, Ctrl-D, Ctrl-C", async () => {
    const ask = writeProgram(
      'ask.py',
      `
      import sys
      n = int(input("How many? "))
      print("twice:", n * 2)
      print("then:", repr(sys.stdin.read()))
      `,
    );
    const folder = path.dirname(ask);
    writeFileSync(path.join(folder, 'wait.py'), 'print("waiting for you", flush=True)\ninput()\n');
    const { binary, extensionsDir } = await codeServerWithParallelLab();
    const server = await startCodeServer({ binary, extensionsDir, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
    const page = await browser().newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await openWorkbench(page, server, folder);
      await openFile(page, 'ask.py');
      await runCommand(page, 'Parallel Lab: Profile Current File');
      await waitForTerminalText(page, /How many\? *$/m);

      // Typed as a user would, after clicking into the terminal: a slip mended with Backspace.
      await page.locator('.terminal-wrapper.active .xterm-screen').click();
      await page.keyboard.type('12');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('3');
      await page.keyboard.press('Enter');
      const answered = await waitForTerminalText(page, /twice: 26/);
      assert.match(answered, /How many\? 13\ntwice: 26/, 'the typing is echoed, the Backspace removed the 2');

      // The rest of the input, then Ctrl-D on an empty line: end-of-file.
      await page.keyboard.type('more');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+D');
      await waitForTerminalText(page, /then: 'more\\n'/);
      await panelFrame(page, 1);

      // With no run going, typing goes nowhere and nothing complains.
      await page.keyboard.type('late');
      await page.waitForTimeout(1000);
      assert.doesNotMatch(await terminalText(page), /late/, 'no echo without a run');
      assert.equal(await page.locator('.notifications-toasts .notification-list-item').count(), 0, 'no error notification');

      // Ctrl-C in the terminal stops a run that waits for input.
      await openFile(page, 'wait.py');
      await runCommand(page, 'Parallel Lab: Profile Current File');
      await waitForTerminalText(page, /waiting for you/);
      await page.locator('.terminal-wrapper.active .xterm-screen').click();
      await page.keyboard.press('Control+C');
      await waitForTerminalText(page, /waiting for you\n\^C/);
      await panelFrame(page, 1, 'stopped');
      await page.screenshot({ path: artifactPath('vscode-program-input.png') });
    } finally {
      await page.close();
      await server.stop();
    }
  });

  it('in an untrusted workspace, nothing runs and the explanation shows', async () => {
    const { binary, extensionsDir } = await codeServerWithParallelLab();
    const server = await startCodeServer({ binary, extensionsDir, disableWorkspaceTrust: false, settings: { 'security.workspace.trust.startupPrompt': 'never' } });
    const page = await browser().newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await openWorkbench(page, server);
      await page.waitForSelector('.statusbar-item[id*="workspaceTrust"], .monaco-workbench', { timeout: 30_000 });
      await openFile(page, 'counter.py');
      // The CodeLens is there; pressing it must explain, not run.
      const lens = page.locator('.codelens-decoration a', { hasText: 'Profile' }).first();
      await lens.waitFor({ timeout: 60_000 });
      await lens.click();
      const notice = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'until you trust this workspace' });
      await notice.waitFor({ timeout: 30_000 });
      // The lessons view says it too.
      await runCommand(page, 'View: Show Parallel Lab');
      await page.locator('.pane-body .message', { hasText: 'Runs are turned off' }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: artifactPath('vscode-untrusted.png') });
      const running = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((line) => line.includes('counter.py') && !line.includes('ps -eo'));
      assert.deepEqual(running, [], 'no Python process ran the sample');
    } finally {
      await page.close();
      await server.stop();
    }
  });
});
