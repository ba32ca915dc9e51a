// The panel as VS Code hosts it, for live-mode tests: the bundle in a page whose
// acquireVsCodeApi is a stand-in recording posted messages and state. Messages reach the
// panel the way VS Code delivers them: window 'message' events.

import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { ToWebview } from '../../src/shared/protocol';

const DIST = path.resolve(__dirname, '..', '..', '..', 'dist');

export async function openPanel(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const posted: unknown[] = [];
    let state: unknown;
    Object.assign(window, {
      postedToHost: posted,
      acquireVsCodeApi: () => ({ getState: () => state, setState: (next: unknown) => (state = next), postMessage: (message: unknown) => posted.push(message) }),
    });
  });
  const file = path.join(os.tmpdir(), `parallel-lab-panel-${process.pid}.html`);
  writeFileSync(
    file,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="${pathToFileURL(path.join(DIST, 'webview.css')).href}"></head>` +
      `<body><main id="root"></main><script src="${pathToFileURL(path.join(DIST, 'webview.js')).href}"></script></body></html>`,
  );
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (window as unknown as { postedToHost: Array<{ type: string }> }).postedToHost.some((message) => message.type === 'ready'));
}

export async function sendToPanel(page: Page, message: ToWebview): Promise<void> {
  await page.evaluate((data) => window.postMessage(data, '*'), message);
}
