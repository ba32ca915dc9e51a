// Where things go on the timeline canvas: the label column, the time axis, and the lanes
// stacked under it (a process lane, then, for a process with two or more threads that are not
// folded away, its stove row and a lane per thread), each with its rows; and the viewport
// that maps run time to x and back.

export const LABEL_WIDTH = 150;
export const AXIS_HEIGHT = 24;
export const LANE_HEIGHT = 48;

export type LaneKind = 'process' | 'stove' | 'thread';

/** Each kind of lane's height and rows, as [top, bottom] offsets from the lane's top. */
export const LANE_KINDS = {
  process: { height: LANE_HEIGHT, rows: { cpu: [3, 15], lock: [17, 33], task: [35, 45] } },
  /** Who held the process's GIL, turn by turn. */
  stove: { height: 18, rows: { turns: [3, 15] } },
  /** A thread's state over time, and the lock events it made. */
  thread: { height: 28, rows: { state: [3, 12], lock: [14, 25] } },
} as const;

/** A process lane's rows (the name the code used before thread lanes). */
export const ROWS = LANE_KINDS.process.rows;

export type RowName = 'cpu' | 'lock' | 'task' | 'turns' | 'state';

/** A row of a lane of the given kind, as [top, bottom], or null when that kind has no such row. */
export function rowOf(kind: LaneKind, row: RowName): readonly [number, number] | null {
  const rows: Partial<Record<RowName, readonly [number, number]>> = LANE_KINDS[kind].rows;
  return rows[row] ?? null;
}

/** The tops of stacked lanes: lane `i` spans [top(i), top(i + 1)). */
export class LaneGeometry {
  private readonly tops: Float64Array;

  constructor(private readonly kinds: readonly LaneKind[]) {
    this.tops = new Float64Array(kinds.length + 1);
    let top = AXIS_HEIGHT;
    kinds.forEach((kind, i) => {
      this.tops[i] = top;
      top += LANE_KINDS[kind].height;
    });
    this.tops[kinds.length] = top;
  }

  get lanes(): number {
    return this.kinds.length;
  }

  top(lane: number): number {
    return this.tops[lane];
  }

  height(lane: number): number {
    return this.tops[lane + 1] - this.tops[lane];
  }

  /** The canvas height: the axis and every lane (at least one lane's room, so an empty run still has a canvas). */
  get totalHeight(): number {
    return Math.max(this.tops[this.kinds.length], AXIS_HEIGHT + LANE_HEIGHT);
  }

  /** The lane under a y position (CSS pixels from the canvas top), if any. */
  laneAt(y: number): number | null {
    if (y < AXIS_HEIGHT || y >= this.tops[this.kinds.length]) return null;
    let low = 0;
    let high = this.kinds.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.tops[middle] <= y) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The lane and row under a y position, if any (a pixel of slack around each row). */
  rowAt(y: number): { lane: number; row: RowName } | null {
    const lane = this.laneAt(y);
    if (lane === null) return null;
    const offset = y - this.tops[lane];
    const rows: Partial<Record<RowName, readonly [number, number]>> = LANE_KINDS[this.kinds[lane]].rows;
    for (const [row, bounds] of Object.entries(rows) as Array<[RowName, readonly [number, number]]>) {
      if (offset >= bounds[0] - 1 && offset <= bounds[1] + 1) return { lane, row };
    }
    return null;
  }
}

/** The visible time range, and the mapping between run time and canvas x. */
export class Viewport {
  plotWidth = 1;

  constructor(
    public startMs: number,
    public endMs: number,
    private durationMs: number,
  ) {}

  get spanMs(): number {
    return this.endMs - this.startMs;
  }

  setDuration(durationMs: number): void {
    this.durationMs = Math.max(durationMs, 1e-3);
    this.clamp();
  }

  showAll(): void {
    this.startMs = 0;
    this.endMs = this.durationMs;
  }

  toX(t: number): number {
    return LABEL_WIDTH + ((t - this.startMs) / this.spanMs) * this.plotWidth;
  }

  toTime(x: number): number {
    return this.startMs + ((x - LABEL_WIDTH) / this.plotWidth) * this.spanMs;
  }

  /** Zooms by `factor` (> 1 zooms in) keeping the time under `anchorX` in place. */
  zoom(factor: number, anchorX: number): void {
    const anchor = this.toTime(anchorX);
    // A microsecond is the narrowest view: finer than the tracer's clock is useful.
    const span = Math.min(this.durationMs, Math.max(1e-3, this.spanMs / factor));
    const share = (anchor - this.startMs) / this.spanMs;
    this.startMs = anchor - share * span;
    this.endMs = this.startMs + span;
    this.clamp();
  }

  /** Pans by a distance in pixels (positive: later). */
  pan(pixels: number): void {
    const shift = (pixels / this.plotWidth) * this.spanMs;
    this.startMs += shift;
    this.endMs += shift;
    this.clamp();
  }

  private clamp(): void {
    const span = Math.min(this.spanMs > 0 ? this.spanMs : this.durationMs, this.durationMs);
    if (this.startMs < 0) this.startMs = 0;
    if (this.startMs + span > this.durationMs) this.startMs = Math.max(0, this.durationMs - span);
    this.endMs = this.startMs + span;
  }
}
