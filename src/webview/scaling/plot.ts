// A small SVG line plot: axes with ticks and labels, lines, guides and focusable markers.
// SVG rather than canvas so the shapes are in the document: screen readers get a title, a
// description and a label per point, keyboard users can tab to each point, and colours come
// straight from the --vscode-* variables in styles.css (no redraw on a theme change).

import { element } from '../format';

const SVG = 'http://www.w3.org/2000/svg';
/** The drawing's own units; the SVG scales to its column, text with it. */
const WIDTH = 400;
const HEIGHT = 260;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 40 };
const MARKER_RADIUS = 5;
/** Half the width of a range's end caps. */
const RANGE_CAP = 4;

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export interface PlotOptions {
  /** Prefix of the ids of the title and description; unique within the page. */
  id: string;
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string;
  xLabel: string;
  yLabel: string;
  xMax: number;
  yMax: number;
  xTicks: number[];
  yTicks: number[];
  formatY: (value: number) => string;
}

export function svgElement<K extends keyof SVGElementTagNameMap>(tagName: K, attributes: Record<string, string | number>, className?: string): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG, tagName);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  if (className) created.setAttribute('class', className);
  return created;
}

/** A marker's outline centred on (x, y); the legend draws the same shapes. */
export function markerShape(shape: MarkerShape, x: number, y: number, className: string): SVGElement {
  const r = MARKER_RADIUS;
  switch (shape) {
    case 'circle': return svgElement('circle', { cx: x, cy: y, r }, className);
    case 'square': return svgElement('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r }, className);
    case 'triangle': return svgElement('polygon', { points: `${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}` }, className);
    case 'diamond': return svgElement('polygon', { points: `${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}` }, className);
  }
}

export class Plot {
  readonly figure = element('figure', 'chart');
  readonly svg: SVGSVGElement;
  /** What the focused or hovered point is: the same words its label gives a screen reader. */
  private readonly readout = element('p', 'chart-readout');
  private readonly marks: SVGGElement;

  constructor(private readonly options: PlotOptions) {
    this.svg = svgElement('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group', 'aria-labelledby': `${options.id}-title`, 'aria-describedby': `${options.id}-desc` }, `chart-svg ${options.id}`);
    const title = svgElement('title', { id: `${options.id}-title` });
    title.textContent = options.title;
    const desc = svgElement('desc', { id: `${options.id}-desc` });
    desc.textContent = options.description;
    this.marks = svgElement('g', {}, 'chart-marks');
    this.svg.append(title, desc, this.axes(), this.marks);
    this.readout.setAttribute('aria-live', 'polite');
    this.readout.textContent = 'Select a point (Tab, or hover) to read its figures.';
    const caption = element('figcaption', 'chart-caption', options.description);
    this.figure.append(this.svg, this.readout, caption);
  }

  x(value: number): number {
    return MARGIN.left + (value / this.options.xMax) * (WIDTH - MARGIN.left - MARGIN.right);
  }

  y(value: number): number {
    return HEIGHT - MARGIN.bottom - (Math.min(value, this.options.yMax) / this.options.yMax) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  }

  /** A line through data points (x = workers, y = the plotted value). */
  line(points: Array<[number, number]>, className: string): void {
    const line = svgElement('polyline', { points: points.map(([x, y]) => `${this.x(x).toFixed(1)},${this.y(y).toFixed(1)}`).join(' ') }, `chart-line ${className}`);
    this.marks.append(line);
  }

  /** A smooth curve sampled from a function of x, from `from` to the plot's right edge. */
  curve(from: number, value: (x: number) => number, className: string): void {
    const steps = 60;
    const points: string[] = [];
    for (let i = 0; i <= steps; i++) {
      const x = from + ((this.options.xMax - from) * i) / steps;
      points.push(`${i === 0 ? 'M' : 'L'}${this.x(x).toFixed(1)},${this.y(value(x)).toFixed(1)}`);
    }
    const path = svgElement('path', { d: points.join(' ') }, `chart-line ${className}`);
    this.marks.append(path);
  }

  /** A labelled vertical line, e.g. at the number of cores. */
  verticalGuide(at: number, label: string): void {
    const x = this.x(at);
    const guide = svgElement('g', {}, 'chart-guide');
    const text = svgElement('text', { x: x + 3, y: MARGIN.top + 8 }, 'chart-guide-label');
    text.textContent = label;
    guide.append(svgElement('line', { x1: x, x2: x, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }), text);
    this.marks.prepend(guide);
  }

  /**
   * The spread of a point's runs: a vertical bar with caps from `low` to `high` at x. Drawn
   * before its marker, which then sits on it. `dx` (drawing units) moves it aside, as marker's.
   */
  range(x: number, low: number, high: number, className: string, dx = 0): void {
    const at = this.x(x) + dx;
    const [top, bottom] = [this.y(high), this.y(low)];
    const bar = svgElement('g', { 'aria-hidden': 'true' }, `chart-range ${className}`);
    bar.dataset.x = String(x);
    bar.dataset.low = String(low);
    bar.dataset.high = String(high);
    const cap = (y: number): SVGLineElement => svgElement('line', { x1: (at - RANGE_CAP).toFixed(1), x2: (at + RANGE_CAP).toFixed(1), y1: y.toFixed(1), y2: y.toFixed(1) });
    bar.append(svgElement('line', { x1: at.toFixed(1), x2: at.toFixed(1), y1: top.toFixed(1), y2: bottom.toFixed(1) }), cap(top), cap(bottom));
    this.marks.append(bar);
  }

  /** A horizontal band across the plot from `low` to `high`, drawn behind the other marks. */
  band(low: number, high: number, className: string): void {
    const [top, bottom] = [this.y(high), this.y(low)];
    const band = svgElement('rect', { x: MARGIN.left, y: top.toFixed(1), width: WIDTH - MARGIN.left - MARGIN.right, height: Math.max(1, bottom - top).toFixed(1), 'aria-hidden': 'true' }, `chart-band ${className}`);
    band.dataset.low = String(low);
    band.dataset.high = String(high);
    this.marks.prepend(band);
  }

  /** A point that takes focus: Tab reaches it, its label reads its figures. `dx` moves it aside (drawing units). */
  marker(shape: MarkerShape, at: [number, number], className: string, label: string, dx = 0): void {
    const point = svgElement('g', { tabindex: 0, role: 'img', 'aria-label': label }, `chart-point ${className}`);
    point.dataset.x = String(at[0]);
    point.dataset.y = String(at[1]);
    const title = svgElement('title', {});
    title.textContent = label;
    point.append(title, markerShape(shape, this.x(at[0]) + dx, this.y(at[1]), 'chart-marker'));
    const show = (): void => {
      this.readout.textContent = label;
    };
    point.addEventListener('focus', show);
    point.addEventListener('pointerenter', show);
    this.marks.append(point);
  }

  private axes(): SVGGElement {
    const { xTicks, yTicks, xLabel, yLabel, formatY } = this.options;
    const axes = svgElement('g', { 'aria-hidden': 'true' }, 'chart-axes');
    const bottom = HEIGHT - MARGIN.bottom;
    for (const tick of yTicks) {
      const y = this.y(tick);
      const label = svgElement('text', { x: MARGIN.left - 6, y: y + 4, 'text-anchor': 'end' });
      label.textContent = formatY(tick);
      axes.append(svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y }, 'chart-grid'), label);
    }
    for (const tick of xTicks) {
      const x = this.x(tick);
      const label = svgElement('text', { x, y: bottom + 14, 'text-anchor': 'middle' });
      label.textContent = String(tick);
      axes.append(svgElement('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4 }, 'chart-tick'), label);
    }
    const xTitle = svgElement('text', { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle' }, 'chart-axis-title');
    xTitle.textContent = xLabel;
    const yTitle = svgElement('text', { x: 0, y: 0, 'text-anchor': 'middle', transform: `translate(11 ${(MARGIN.top + bottom) / 2}) rotate(-90)` }, 'chart-axis-title');
    yTitle.textContent = yLabel;
    axes.append(
      svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom }, 'chart-axis'),
      svgElement('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom }, 'chart-axis'),
      xTitle,
      yTitle,
    );
    return axes;
  }
}

/** Round tick values from 0 to at least `max`: about five of them, at 1, 2 or 5 × 10ⁿ. */
export function niceTicks(max: number): number[] {
  const rough = Math.max(max, 1e-9) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step * 0.999; tick += step) ticks.push(Number(tick.toFixed(10)));
  return ticks;
}

/** A legend entry: the series' shape or dash drawn as in the chart, and its name. */
export function legendItem(name: string, className: string, shape: MarkerShape | 'line' | 'band' | 'range'): HTMLLIElement {
  const item = element('li');
  const swatch = svgElement('svg', { viewBox: '0 0 28 14', width: 28, height: 14, 'aria-hidden': 'true' }, 'legend-swatch');
  if (shape === 'line') swatch.append(svgElement('line', { x1: 1, x2: 27, y1: 7, y2: 7 }, `chart-line ${className}`));
  else if (shape === 'band') swatch.append(svgElement('rect', { x: 1, y: 3, width: 26, height: 8 }, `chart-band ${className}`));
  else if (shape === 'range') {
    const bar = svgElement('g', {}, `chart-range ${className}`);
    bar.append(svgElement('line', { x1: 14, x2: 14, y1: 1, y2: 13 }), svgElement('line', { x1: 10, x2: 18, y1: 1, y2: 1 }), svgElement('line', { x1: 10, x2: 18, y1: 13, y2: 13 }));
    swatch.append(bar);
  } else {
    // Grouped as in the chart, so the same CSS rule colours both.
    const group = svgElement('g', {}, className);
    group.append(markerShape(shape, 14, 7, 'chart-marker'));
    swatch.append(group);
  }
  item.append(swatch, document.createTextNode(name));
  return item;
}
