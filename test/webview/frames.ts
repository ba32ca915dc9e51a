// Frame timing of the timeline under scripted wheel zooms and drag pans, measured in the
// page: the gap between consecutive animation frames (a blocked page shows as a long gap)
// and the longest task the browser reports.

import type { Page } from 'playwright-core';

export interface InteractionTiming {
  /** Gaps between consecutive frames during the interaction, ms. */
  frameGaps: number[];
  longestFrameMs: number;
  medianFrameMs: number;
  longestTaskMs: number;
  /** Wall time of the whole scripted interaction, ms. */
  totalMs: number;
}

export async function scriptedZoomAndPan(page: Page, options: { zoomSteps?: number; panSteps?: number } = {}): Promise<InteractionTiming> {
  const zoomSteps = options.zoomSteps ?? 12;
  const panSteps = options.panSteps ?? 12;
  const canvas = page.locator('canvas.timeline-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no timeline canvas');
  const x = box.x + box.width * 0.6;
  const y = box.y + 60;
  await page.evaluate(() => {
    const probe = { gaps: [] as number[], longestTask: 0, running: true };
    Object.assign(window, { frameProbe: probe });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longestTask = Math.max(probe.longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const tick = (now: number): void => {
      probe.gaps.push(now - last);
      last = now;
      if (probe.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await page.mouse.move(x, y);
  // Zoom in, pan both ways by dragging, zoom back out; each step waits for a frame.
  const frame = (): Promise<void> => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
  for (let i = 0; i < zoomSteps; i++) {
    await page.mouse.wheel(0, -240);
    await frame();
  }
  await page.mouse.down();
  for (let i = 0; i < panSteps; i++) {
    await page.mouse.move(x + (i % 2 === 0 ? -1 : 1) * 80 * ((i % 4) + 1), y);
    await frame();
  }
  await page.mouse.up();
  for (let i = 0; i < zoomSteps; i++) {
    await page.mouse.wheel(0, 240);
    await frame();
  }
  await page.keyboard.press('ArrowRight');
  await frame();
  const totalMs = Date.now() - started;
  const probe = await page.evaluate(() => {
    const { frameProbe } = window as unknown as { frameProbe: { gaps: number[]; longestTask: number; running: boolean } };
    frameProbe.running = false;
    return { gaps: frameProbe.gaps.slice(1), longestTask: frameProbe.longestTask };
  });
  const sorted = [...probe.gaps].sort((a, b) => a - b);
  return {
    frameGaps: probe.gaps,
    longestFrameMs: sorted[sorted.length - 1] ?? 0,
    medianFrameMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    longestTaskMs: probe.longestTask,
    totalMs,
  };
}

/** The page's JavaScript heap in use (Chromium's CDP Performance metrics). */
export async function jsHeapUsedBytes(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
}
