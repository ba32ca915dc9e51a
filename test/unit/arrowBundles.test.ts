// The timeline's message marks: thousands of messages at the whole-run zoom become a number
// of marks bounded by the pixels, with every message counted; zoomed in, each message is
// its own arrow at its true times.

import { strict as assert } from 'node:assert';
import type { IpcEvent } from '../../src/shared/runRecord';
import { BUNDLE_PX, bundleArrows, isArrow } from '../../src/webview/timeline/arrowBundles';
import { LABEL_WIDTH, Viewport } from '../../src/webview/timeline/layout';
import type { MessageArrow } from '../../src/webview/timeline/model';

function event(pid: number, t: number, op: IpcEvent['op'], message: string): IpcEvent {
  return { channel: 'queue-1', kind: 'queue', op, pid, t, waitMs: 0, bytes: 20, site: null, message };
}

/** Lane 0 (the parent) sends `count` orders in its first 50 ms to `workers` lanes, which take them over the run. */
function workQueue(count: number, workers: number, durationMs: number): MessageArrow[] {
  const arrows: MessageArrow[] = [];
  for (let i = 0; i < count; i++) {
    const sent = (i / count) * 50;
    const received = 50 + (i / count) * (durationMs - 60);
    const toLane = 1 + (i % workers);
    arrows.push({ from: event(1, sent, 'put', `m${i}`), to: event(2 + toLane, received, 'get', `m${i}`), fromLane: 0, toLane });
    // Each worker's result goes back to the parent a little later.
    arrows.push({ from: event(2 + toLane, received + 1, 'put', `r${i}`), to: event(1, received + 3, 'get', `r${i}`), fromLane: toLane, toLane: 0 });
  }
  return arrows.sort((a, b) => a.from.t - b.from.t);
}

function viewport(startMs: number, endMs: number, durationMs: number, plotWidth: number): Viewport {
  const view = new Viewport(startMs, endMs, durationMs);
  view.plotWidth = plotWidth;
  return view;
}

describe('timeline message marks (arrowBundles)', () => {
  it('draws thousands of messages at the whole-run zoom as marks bounded by the pixels, every message counted', () => {
    const arrows = workQueue(3000, 4, 2000);
    const plotWidth = 420;
    const bundles = bundleArrows(arrows, viewport(0, 2000, 2000, plotWidth), 5);
    const pairs = new Set(arrows.map((arrow) => `${arrow.fromLane}>${arrow.toLane}`)).size;
    assert.equal(pairs, 8);
    assert.equal(bundles.reduce((sum, bundle) => sum + bundle.count, 0), 6000, 'the counts add up to the messages in view');
    const bound = pairs * (Math.ceil(plotWidth / BUNDLE_PX) + 1);
    assert.ok(bundles.length <= bound, `${bundles.length} marks for 6000 messages, at most ${bound}`);
    // The orders, sent within a few pixels and taken over the whole run, are fans reaching over the receipts.
    const orders = bundles.filter((bundle) => bundle.fromLane === 0);
    assert.ok(orders.every((bundle) => !isArrow(bundle)), 'orders taken over the run are drawn as fans');
    const firstToWorker1 = arrows.find((arrow) => arrow.fromLane === 0 && arrow.toLane === 1);
    assert.ok(firstToWorker1);
    const fan = orders.find((bundle) => bundle.toLane === 1);
    assert.ok(fan);
    const view = viewport(0, 2000, 2000, plotWidth);
    assert.equal(fan.sendMinX, view.toX(firstToWorker1.from.t), 'a fan starts at its first true send');
    assert.equal(fan.receiveMinX, view.toX(firstToWorker1.to.t), 'and reaches its earliest true receipt');
  });

  it('keeps each message as its own arrow at its true times once zoomed in', () => {
    // The results (workers to the parent), a few ms apart per worker; 1 ms of the run over 420 px.
    const arrows = workQueue(3000, 4, 2000).filter((arrow) => arrow.fromLane !== 0);
    const view = viewport(1000, 1001, 2000, 420);
    const inView = arrows.filter((arrow) => arrow.to.t >= 1000 && arrow.from.t <= 1001);
    assert.ok(inView.length >= 2, `messages in view: ${inView.length}`);
    const bundles = bundleArrows(arrows, view, 5);
    assert.equal(bundles.length, inView.length, 'one mark per message');
    for (const [i, bundle] of bundles.entries()) {
      assert.equal(bundle.count, 1);
      assert.ok(isArrow(bundle));
      assert.equal(bundle.sendMinX, view.toX(inView[i].from.t));
      assert.equal(bundle.receiveMinX, view.toX(inView[i].to.t));
    }
  });

  it('bundles messages sent within a few pixels between the same lanes only, and sends before the view in one mark', () => {
    const view = viewport(100, 200, 1000, 400);
    const msPerPx = 100 / 400;
    const arrows: MessageArrow[] = [
      // Two sends 1 px apart, received 1 px apart: one arrow for two.
      { from: event(1, 150, 'put', 'a'), to: event(2, 160, 'get', 'a'), fromLane: 0, toLane: 1 },
      { from: event(1, 150 + msPerPx, 'put', 'b'), to: event(2, 160 + msPerPx, 'get', 'b'), fromLane: 0, toLane: 1 },
      // The same moment to another lane: its own mark.
      { from: event(1, 150 + msPerPx, 'put', 'c'), to: event(3, 170, 'get', 'c'), fromLane: 0, toLane: 2 },
      // Sent well before the view, far apart, received in it: one mark at the left edge.
      { from: event(1, 10, 'put', 'd'), to: event(2, 120, 'get', 'd'), fromLane: 0, toLane: 1 },
      { from: event(1, 50, 'put', 'e'), to: event(2, 180, 'get', 'e'), fromLane: 0, toLane: 1 },
      // Received before the view: not in it.
      { from: event(1, 20, 'put', 'f'), to: event(2, 90, 'get', 'f'), fromLane: 0, toLane: 1 },
    ].sort((a, b) => a.from.t - b.from.t);
    const bundles = bundleArrows(arrows, view, 3);
    assert.deepEqual(
      bundles.map((bundle) => [bundle.fromLane, bundle.toLane, bundle.count, isArrow(bundle)]),
      [
        [0, 1, 2, false],
        [0, 1, 2, true],
        [0, 2, 1, true],
      ],
    );
    assert.ok(bundles[0].sendMaxX < LABEL_WIDTH, 'the early sends keep their true (off-plot) x');
    assert.equal(bundles[0].receiveMinX, view.toX(120));
    assert.equal(bundles[0].receiveMaxX, view.toX(180));
  });
});
