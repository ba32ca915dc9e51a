// The run at a glance: how it ended, how long it took, its output, the warnings in plain
// words, and the lock, signal-wait, message and task tables (figures from shared/recordStats;
// locks and channels called as the learner's code names them, shared/learnerNames).
// The standard library's own locks and queues (a pool's eight locks, its SimpleQueues) are
// left out of the tables unless the learner asks for them, with the same toggle as the
// timeline's (ViewState.showInternalLocks): a table says how many it leaves out.

import { coreWaitSentence } from '../shared/cpuFigures';
import { channelLabels, lockLabels, signalWaitText, UNKNOWN_CHANNEL, UNKNOWN_LOCK } from '../shared/learnerNames';
import { channelStats, lockStats, signalWaitStats, workerTaskStats } from '../shared/recordStats';
import type { LiveRunState } from '../shared/liveDeltas';
import type { RunRecord } from '../shared/runRecord';
import { processStoveSentence } from '../shared/threadShares';
import { button } from './components';
import { baseName, element, formatBytes, formatMs, formatPercent } from './format';

interface ObjectWords {
  one: string;
  many: string;
  /** What the table would have been, when none is the learner's. */
  none: string;
}

const LOCK_WORDS: ObjectWords = { one: 'lock', many: 'locks', none: 'No locks of your own' };
const CHANNEL_WORDS: ObjectWords = { one: 'queue or pipe', many: 'queues and pipes', none: 'No queues or pipes of your own' };

export interface SummaryHost {
  /** Shows or hides the standard library's own locks and channels, in every view. */
  showInternal(show: boolean): void;
}

export class SummaryView {
  readonly root = element('section', 'view summary');

  constructor(private readonly host: SummaryHost) {
    this.root.setAttribute('aria-labelledby', 'summary-heading');
  }

  render(record: RunRecord, state: LiveRunState, showInternal = false): void {
    const heading = element('h2', undefined, `${baseName(record.file)}: ${headline(record, state)}`);
    heading.id = 'summary-heading';
    const facts = element('dl', 'facts');
    const fact = (term: string, value: string): void => {
      facts.append(element('dt', undefined, term), element('dd', undefined, value));
    };
    fact('Exit code', state !== 'finished' ? '—' : record.exitCode === null ? `none (ended by ${record.exitSignal ?? 'a signal'})` : String(record.exitCode));
    fact('Duration', formatMs(record.durationMs));
    fact('Processes', String(record.processes.filter(Boolean).length));
    if (record.python.version) fact('Python', record.python.gilEnabled === false ? `${record.python.version}, without a GIL (free-threaded)` : record.python.version);
    if (record.startMethod) fact('Start method', record.startMethod);
    if (record.truncated) fact('Note', 'Some limits were reached, so part of the run is not recorded.');

    const children: HTMLElement[] = [heading, facts];
    const coreWait = coreWaitSentence(record);
    if (coreWait !== null) children.push(element('p', 'core-wait', coreWait));
    // How the threads of each process read fast (two or more wanted to run) shared its stove, its GIL.
    for (const process of record.processes) {
      const sentence = process ? processStoveSentence(process, record.python.gilEnabled !== false) : '';
      if (sentence) children.push(element('p', 'stove', `PID ${process.pid} (${process.name}): ${sentence}`));
    }
    if (record.warnings.length > 0) {
      const list = element('ul', 'warnings');
      list.setAttribute('aria-label', 'Warnings');
      for (const warning of record.warnings) list.append(element('li', undefined, `⚠ ${warning}`));
      children.push(list);
    }
    children.push(
      outputSection('Output (stdout)', record.stdout, record.stdoutTruncated),
      outputSection('Errors (stderr)', record.stderr, record.stderrTruncated),
    );
    const lockLabel = lockLabels(record.locks);
    const usedLocks = lockStats(record).filter((stats) => stats.acquisitions + stats.failed > 0);
    const locks = showInternal ? usedLocks : usedLocks.filter((stats) => !stats.lock.internal);
    if (locks.length > 0) {
      children.push(
        table(
          'Locks',
          ['Lock', 'Made by', 'Acquisitions', 'Failed', 'Total wait', 'Longest wait', 'Total hold', 'Contended'],
          locks.map((stats) => [
            lockLabel.get(stats.lock.id) ?? UNKNOWN_LOCK, stats.lock.api + (stats.lock.internal ? ' (standard library)' : ''), String(stats.acquisitions), String(stats.failed),
            formatMs(stats.totalWaitMs), formatMs(stats.maxWaitMs), formatMs(stats.totalHoldMs), formatPercent(stats.contendedShare * 100),
          ]),
        ),
      );
    }
    const internalLocks = usedLocks.length - usedLocks.filter((stats) => !stats.lock.internal).length;
    if (internalLocks > 0) children.push(this.internalNote(LOCK_WORDS, usedLocks.length - internalLocks, internalLocks, showInternal));
    const signals = signalWaitStats(record).filter((stats) => stats.waits > 0);
    if (signals.length > 0) {
      // Waiting for an Event, at a Barrier or for notify is waiting for another process's
      // signal: no lock is contended, so these have their own table.
      children.push(
        table(
          'Waits for a signal',
          ['Waited on', 'Kind', 'Waits', 'Without the signal', 'Total wait', 'Longest wait'],
          signals.map((stats) => [
            lockLabel.get(stats.lock.id) ?? UNKNOWN_LOCK, signalWaitText(stats.signal), String(stats.waits), String(stats.unanswered),
            formatMs(stats.totalWaitMs), formatMs(stats.maxWaitMs),
          ]),
        ),
      );
    }
    const channelLabel = channelLabels(record.channels);
    const allChannels = channelStats(record);
    const channels = showInternal ? allChannels : allChannels.filter((stats) => !stats.internal);
    if (channels.length > 0) {
      children.push(
        table(
          'Messages',
          ['Channel', 'Kind', 'Messages', 'Bytes', 'Blocked'],
          channels.map((stats) => [channelLabel.get(stats.channel) ?? UNKNOWN_CHANNEL, stats.api + (stats.internal ? ' (standard library)' : ''), String(stats.messages), formatBytes(stats.bytes), formatMs(stats.blockedMs)]),
        ),
      );
    }
    const internalChannels = allChannels.filter((stats) => stats.internal).length;
    if (internalChannels > 0) {
      children.push(this.internalNote(CHANNEL_WORDS, allChannels.length - internalChannels, internalChannels, showInternal));
    }
    const workers = workerTaskStats(record);
    if (workers.length > 0) {
      children.push(
        table(
          'Pool tasks',
          ['Worker PID', 'Tasks', 'Items', 'Busy', 'Failed'],
          workers.map((stats) => [String(stats.pid), String(stats.tasks), String(stats.items), formatMs(stats.busyMs), String(stats.failed)]),
        ),
      );
    }
    this.root.replaceChildren(...children);
  }

  /**
   * What a table leaves out (or now shows) of the standard library's own: "No locks of your
   * own; the standard library used 8 (show them)" rather than a table of a pool's locks.
   */
  private internalNote(words: ObjectWords, own: number, internal: number, shown: boolean): HTMLElement {
    const { one, many, none } = words;
    const note = element('p', 'internal-note');
    const theirs = `the standard library used ${internal} ${internal === 1 ? one : many} of its own`;
    if (shown) {
      note.textContent = `Shown above: ${theirs} (a pool's, a queue's, a manager's). `;
      note.append(button('Hide them', `Hide the standard library's own ${many}`, () => this.host.showInternal(false)));
    } else {
      note.textContent = own === 0 ? `${none}; ${theirs}. ` : `Not shown: ${theirs}. `;
      note.append(button('Show them', `Show the standard library's own ${many}, in the tables and the timeline`, () => this.host.showInternal(true)));
    }
    return note;
  }
}

function headline(record: RunRecord, state: LiveRunState): string {
  if (state !== 'finished') return `${state}…`;
  switch (record.outcome) {
    case 'exited': return record.exitCode === 0 ? 'finished' : `exited with code ${record.exitCode ?? '?'}`;
    case 'stopped': return 'stopped';
    case 'timed-out': return 'stopped at its time limit';
    case 'failed-to-start': return 'did not start';
  }
}

function outputSection(title: string, text: string, truncated: boolean): HTMLElement {
  const details = element('details', 'output');
  const summary = element('summary', undefined, `${title}: ${text.length === 0 ? 'empty' : `${text.split('\n').filter(Boolean).length} lines`}`);
  const body = element('pre', undefined, text + (truncated ? '\n… (cut: the output was longer)' : ''));
  details.append(summary, body);
  return details;
}

function table(title: string, columns: string[], rows: string[][]): HTMLElement {
  const wrapper = element('div', 'stats');
  const tableElement = element('table');
  tableElement.append(element('caption', undefined, title));
  const head = element('tr');
  for (const column of columns) {
    const cell = element('th', undefined, column);
    cell.scope = 'col';
    head.append(cell);
  }
  const headGroup = element('thead');
  headGroup.append(head);
  const body = element('tbody');
  for (const row of rows) {
    const line = element('tr');
    for (const value of row) line.append(element('td', undefined, value));
    body.append(line);
  }
  tableElement.append(headGroup, body);
  wrapper.append(tableElement);
  return wrapper;
}
