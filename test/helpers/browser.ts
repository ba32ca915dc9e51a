// Headless Chromium for the browser tests (panel, report, VS Code UI) and the benchmarks: Debian's /usr/bin/chromium
// driven by playwright-core, with every console message and network request recorded.

import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PARALLEL_LAB_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // A fresh, throwaway profile each launch (playwright passes its own --user-data-dir).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  requests: string[];
}

/** A page whose console errors, uncaught exceptions and requests are collected. */
export async function watchedPage(browser: Browser, viewport = { width: 1400, height: 1000 }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  return { page, consoleErrors, requests };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** Waits until the panel rendered at least `count` times. */
export async function waitForRenders(page: Page, count = 1): Promise<void> {
  await page.waitForFunction((minimum) => (window.parallelLab?.renderCount ?? 0) >= minimum, count, { timeout: 60_000 });
}

/**
 * One Chromium for the tests of the calling `describe`: started before them, closed after.
 * Returns a getter, since the browser exists only once the hook has run.
 */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not started yet (use it inside a test)');
    return browser;
  };
}
