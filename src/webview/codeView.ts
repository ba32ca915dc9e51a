// The program's source with per-line annotations: lock waits and holds, messages and tasks,
// and the processes involved. The gutter is narrow (line number and a marker); code wraps
// rather than being cut, and a line's figures sit on their own line under it, wrapping too,
// so a narrow panel shows every character of both. Clicking an annotated line (or Enter on
// it) filters the timeline to that line's events; clicking it again shows all lines.

import { describeLineActivity, lineActivity, type LineActivity } from '../shared/lineActivity';
import type { SourceText } from '../shared/protocol';
import type { RunRecord, SourceSite } from '../shared/runRecord';
import { baseName, element } from './format';
import { sameFile } from './timeline/model';

export interface CodeViewHost {
  toggleLineFilter(file: string, line: number): void;
}

export class CodeView {
  readonly root = element('section', 'view code');
  private readonly title = element('p', 'code-file');
  private readonly lines = element('div', 'code-lines');
  private lineElements: HTMLElement[] = [];

  constructor(private readonly host: CodeViewHost) {
    this.root.setAttribute('aria-labelledby', 'code-heading');
    const heading = element('h2', undefined, 'Code');
    heading.id = 'code-heading';
    this.root.append(heading, this.title, this.lines);
  }

  render(record: RunRecord, source: SourceText | null, showInternalLocks: boolean, filtered: { file: string; line: number } | null): void {
    if (!source) {
      this.title.textContent = 'The source of this run is not available.';
      this.lines.replaceChildren();
      this.lineElements = [];
      return;
    }
    this.title.textContent = `${baseName(source.file)} — annotated lines show what happened there; select one to see only its events in the timeline.`;
    const activity = new Map(lineActivity(record, source.file, { includeInternal: showInternalLocks }).map((line) => [line.line, line]));
    const texts = source.text.split(/\r?\n/);
    // The gutter is as wide as the longest line number, in the code's own font.
    this.lines.style.setProperty('--line-digits', String(String(texts.length).length));
    this.lineElements = texts.map((text, index) => {
      const number = index + 1;
      const row = element('div', 'code-line');
      row.dataset.line = String(number);
      const stats = activity.get(number);
      const marker = element('span', 'line-marker');
      marker.setAttribute('aria-hidden', 'true');
      row.append(element('span', 'line-number', String(number)), marker, element('code', 'line-text', text));
      if (stats) {
        const annotation = element('span', 'annotation', annotationText(stats));
        annotation.title = annotationTitle(stats);
        row.append(annotation);
        row.classList.add('annotated');
        row.dataset.lockCycles = String(stats.lockCycles);
        row.tabIndex = 0;
        row.setAttribute('role', 'button');
        const isFiltered = filtered !== null && filtered.line === number && sameFile(filtered.file, source.file);
        row.setAttribute('aria-pressed', String(isFiltered));
        row.setAttribute('aria-label', `Line ${number}: ${annotationText(stats)}. ${isFiltered ? 'Press to show every line\'s events.' : 'Press to show only this line\'s events in the timeline.'}`);
        const toggle = (): void => this.host.toggleLineFilter(source.file, number);
        row.addEventListener('click', toggle);
        row.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            toggle();
          }
        });
      }
      return row;
    });
    this.lines.replaceChildren(...this.lineElements);
  }

  /** Marks the line an event came from and brings it into view (the report's "reveal"). */
  reveal(site: SourceSite): void {
    this.lines.querySelector('.revealed')?.classList.remove('revealed');
    const row = this.lineElements[site.line - 1];
    if (!row) return;
    row.classList.add('revealed');
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    row.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
  }
}

/**
 * A line's figures, under its code: how many cycles of which lock (as the learner named it),
 * then the shared one-line figure.
 */
function annotationText(stats: LineActivity): string {
  const cycles = stats.lockCycles > 0 ? `${stats.lockCycles}× ${stats.lockNames.join(', ')} · ` : '';
  return cycles + describeLineActivity(stats);
}

/** The annotation's tooltip: the figure, and the names of everything used at the line. */
function annotationTitle(stats: LineActivity): string {
  const used = [
    stats.lockNames.length > 0 ? `Locks: ${stats.lockNames.join(', ')}` : '',
    ...stats.signalWaits.map((waits) => `Waited on: ${waits.names.join(', ')}`),
    stats.channelNames.length > 0 ? `Channels: ${stats.channelNames.join(', ')}` : '',
  ].filter(Boolean);
  return [annotationText(stats), ...used].join('\n');
}
