// Where things go on the timeline canvas: the label column, the time axis, and the rows of
// each process lane; and the viewport that maps run time to x and back.

export const LABEL_WIDTH = 150;
export const AXIS_HEIGHT = 24;
export const LANE_HEIGHT = 48;

/** Rows inside a lane, as [top, bottom] offsets from the lane's top. */
export const ROWS = {
  cpu: [3, 15],
  lock: [17, 33],
  task: [35, 45],
} as const;

export function laneTop(lane: number): number {
  return AXIS_HEIGHT + lane * LANE_HEIGHT;
}

export type RowName = keyof typeof ROWS;

/** The lane and row under a y position (CSS pixels from the canvas top), if any. */
export function rowAt(y: number, lanes: number): { lane: number; row: RowName } | null {
  if (y < AXIS_HEIGHT) return null;
  const lane = Math.floor((y - AXIS_HEIGHT) / LANE_HEIGHT);
  if (lane >= lanes) return null;
  const offset = y - laneTop(lane);
  for (const row of Object.keys(ROWS) as RowName[]) {
    const [top, bottom] = ROWS[row];
    if (offset >= top - 1 && offset <= bottom + 1) return { lane, row };
  }
  return null;
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
