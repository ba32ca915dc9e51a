// The thread lanes' part of the timeline's legend: a swatch and words for each state the
// drawn thread lanes show, and the stove row where one is drawn. Hidden for a run whose
// processes all had one thread, so their timeline reads as it always did.

import type { ThreadState } from '../../shared/runRecord';
import { element } from '../format';
import type { TimelineModel } from './model';

const STATE_LEGEND: ReadonlyArray<{ state: ThreadState; words: string }> = [
  { state: 'running', words: 'running on a core (solid)' },
  { state: 'waiting-for-gil', words: 'waiting for the GIL: ready to run Python while another thread of the process held it (cross-hatched)' },
  { state: 'waiting-for-core', words: 'waiting for a free core (hatched)' },
  { state: 'waiting', words: 'waiting for a lock, I/O or a sleep (a thin grey bar)' },
];

export function threadLegend(target: HTMLElement, model: TimelineModel): void {
  const withThreads = model.lanes.filter((lane) => lane.kind === 'process' && lane.threadCount >= 2);
  target.hidden = withThreads.length === 0;
  if (target.hidden) {
    target.replaceChildren();
    return;
  }
  const shown = new Set<ThreadState>();
  let stove = false;
  for (const lane of model.lanes) {
    if (lane.kind === 'stove') stove = true;
    if (lane.kind === 'thread') for (const sample of lane.thread.samples) shown.add(sample.state);
  }
  const parts: Array<string | HTMLElement> = [
    'Threads: under a process with two or more (▾), a lane per thread, with the lock events it made; click the process\'s name, or choose it and press T, to fold them (▸).',
  ];
  const states = STATE_LEGEND.filter(({ state }) => shown.has(state));
  if (states.length > 0) {
    parts.push(' A thread\'s lane shows what it was doing:');
    states.forEach(({ state, words }, i) => {
      const item = element('span', 'legend-item');
      item.dataset.state = state;
      item.append(element('span', `swatch swatch-${state}`), ` ${words}${i < states.length - 1 ? ';' : '.'}`);
      parts.push(' ', item);
    });
  }
  if (stove) {
    parts.push(' The stove row above the threads of a process that fought over its GIL shows which thread held it, turn by turn, in the colour beside that thread\'s name: only one of them runs Python at a time.');
  }
  target.replaceChildren(...parts);
}
