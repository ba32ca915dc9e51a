// Checks shared by the report tests: what a learner must see in a rendered run.

import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import type { RunRecord } from '../../src/shared/runRecord';

export async function processTablePids(page: Page): Promise<number[]> {
  return page.$$eval('.process-table tbody tr', (rows) => rows.map((row) => Number((row as HTMLElement).dataset.pid)));
}

/** Pixels of the timeline canvas at a lock event, and at the same x in a lane without lock events. */
export async function lockPixels(page: Page, record: RunRecord, lockEventIndex: number, emptyLanePid: number): Promise<{ event: number[]; empty: number[]; x: number; y: number }> {
  return page.evaluate(
    ({ index, eventPid, emptyPid }) => {
      const app = window.parallelLab;
      const point = app?.lockEventPoint(index);
      if (!app || !point) throw new Error(`lock event ${index} is not drawn`);
      const canvas = document.querySelector('canvas.timeline-canvas') as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      const read = (x: number, y: number): number[] => Array.from(context.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data);
      // The same height in the process lane without lock events.
      const lanes = app.timelineLanes();
      const laneTop = (pid: number): number => lanes.find((lane) => lane.kind === 'process' && lane.pid === pid)?.top ?? Number.NaN;
      const emptyY = point.y + laneTop(emptyPid) - laneTop(eventPid);
      return { event: read(point.x, point.y), empty: read(point.x, emptyY), x: point.x, y: point.y };
    },
    { index: lockEventIndex, eventPid: record.lockEvents[lockEventIndex].pid, emptyPid: emptyLanePid },
  );
}

/** Hovers the canvas at a point (CSS pixels within it) and returns the tooltip's text. */
export async function hoverTimeline(page: Page, x: number, y: number): Promise<string> {
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  assert.ok(box, 'the timeline canvas is on the page');
  await page.locator('canvas.timeline-canvas').scrollIntoViewIfNeeded();
  const fresh = await page.locator('canvas.timeline-canvas').boundingBox();
  await page.mouse.move((fresh ?? box).x + x, (fresh ?? box).y + y);
  await page.waitForSelector('.timeline .tooltip:not([hidden])', { timeout: 5000 });
  return page.locator('.timeline .tooltip').innerText();
}

export async function lineAnnotation(page: Page, line: number): Promise<{ cycles: number; text: string }> {
  const row = page.locator(`.code-line[data-line="${line}"]`);
  return { cycles: Number(await row.getAttribute('data-lock-cycles')), text: await row.locator('.annotation').innerText() };
}

/** A worker with no lock event within `marginMs` of the given one: its lane is empty there. */
export function workerIdleAt(record: RunRecord, lockEventIndex: number, marginMs: number): number {
  const event = record.lockEvents[lockEventIndex];
  const end = event.releasedMs ?? record.durationMs;
  const idle = record.processes.find(
    (p) => p.role === 'process' && !record.lockEvents.some((other) => other.pid === p.pid && other.requestMs <= end + marginMs && (other.releasedMs ?? record.durationMs) >= event.requestMs - marginMs),
  );
  assert.ok(idle, 'some worker is idle around the event');
  return idle.pid;
}

export function firstLockEventOfWorker(record: RunRecord): number {
  const index = record.lockEvents.findIndex((event) => event.acquiredMs !== null && record.processes.some((p) => p.pid === event.pid && p.role !== 'main'));
  assert.ok(index >= 0, 'the record has a completed lock event of a worker');
  return index;
}
