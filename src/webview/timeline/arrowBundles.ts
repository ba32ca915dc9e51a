// Messages as the timeline draws them. Where several messages between the same two lanes
// were sent within a few pixels of each other, one mark stands for them all, with their
// count: an arrow when their receipts also fall within a few pixels, a fan from the sends to
// the span of their receipts when they do not. So the whole-run view of thousands of
// messages stays a picture bounded by the pixels, and zoomed in, where messages are apart,
// each one is its own arrow at its true times. Nothing is dropped: the counts add up to the
// messages in view.

import { LABEL_WIDTH, type Viewport } from './layout';
import type { MessageArrow } from './model';

/** Sends between the same two lanes this close (CSS pixels) share one mark. */
export const BUNDLE_PX = 6;

/** One mark: `count` messages from `fromLane` to `toLane`, sent and received within these x ranges. */
export interface ArrowBundle {
  fromLane: number;
  toLane: number;
  count: number;
  sendMinX: number;
  sendMaxX: number;
  receiveMinX: number;
  receiveMaxX: number;
}

/** What the last draw showed: messages in view and the marks that stand for them. */
export interface ArrowStats {
  messages: number;
  marks: number;
  /** Marks that are one message each, drawn at its true times. */
  single: number;
}

/**
 * The marks for the messages in view, in send order. `arrows` must be sorted by send time
 * (the model's order), so each lane pair's sends come in increasing x: a mark takes the
 * sends within BUNDLE_PX of its first one.
 */
export function bundleArrows(arrows: readonly MessageArrow[], viewport: Viewport, lanes: number): ArrowBundle[] {
  const bundles: ArrowBundle[] = [];
  const open = new Map<number, ArrowBundle>();
  // Sends off the plot's left edge share one mark per lane pair; their true x is kept.
  const leftEdge = LABEL_WIDTH - BUNDLE_PX;
  for (const arrow of arrows) {
    if (arrow.to.t < viewport.startMs || arrow.from.t > viewport.endMs) continue;
    const sendX = viewport.toX(arrow.from.t);
    const receiveX = viewport.toX(arrow.to.t);
    const pair = arrow.fromLane * lanes + arrow.toLane;
    const current = open.get(pair);
    if (current && Math.max(sendX, leftEdge) - Math.max(current.sendMinX, leftEdge) <= BUNDLE_PX) {
      current.count++;
      current.sendMaxX = Math.max(current.sendMaxX, sendX);
      current.receiveMinX = Math.min(current.receiveMinX, receiveX);
      current.receiveMaxX = Math.max(current.receiveMaxX, receiveX);
      continue;
    }
    const bundle: ArrowBundle = { fromLane: arrow.fromLane, toLane: arrow.toLane, count: 1, sendMinX: sendX, sendMaxX: sendX, receiveMinX: receiveX, receiveMaxX: receiveX };
    open.set(pair, bundle);
    bundles.push(bundle);
  }
  return bundles;
}

/** A bundle drawn as one arrow: a single message, or several whose receipts are as close as their sends. */
export function isArrow(bundle: ArrowBundle): boolean {
  return bundle.count === 1 || bundle.receiveMaxX - bundle.receiveMinX <= BUNDLE_PX;
}
