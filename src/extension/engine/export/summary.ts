// The plain-text summary the command line prints after a run: the process tree, the threads
// of processes that had more than one and how they shared the GIL (the stove), how busy each
// core was with the run and with other programs, the exit, and the warnings. Pure formatting
// of a finished record.

import { coreMeans, coreShareText, coreWaitSentence, processCpu } from '../../../shared/cpuFigures';
import { formatMs, formatPercent } from '../../../shared/format';
import { channelLabels, lockLabels, signalWaitText, UNKNOWN_CHANNEL, UNKNOWN_LOCK } from '../../../shared/learnerNames';
import { processesAsTree } from '../../../shared/processHierarchy';
import { channelStats, lockStats, signalWaitStats, workerTaskStats, type LockStats, type SignalWaitStats } from '../../../shared/recordStats';
import type { LockEventList, RunRecord } from '../../../shared/runRecord';
import { isFastSample, lifeOnACore, processStoveSentence, timeTotals } from '../../../shared/threadShares';

export function formatSummary(record: RunRecord<LockEventList>): string {
  const sections = [processSection(record)];
  const threads = threadSection(record);
  if (threads !== null) sections.push(threads);
  sections.push(coreSection(record));
  const locks = lockStats(record);
  if (locks.length > 0) sections.push(lockSection(record, locks));
  const signals = signalWaitStats(record);
  if (signals.length > 0) sections.push(signalSection(record, signals));
  if (record.ipcEvents.length > 0) sections.push(messageSection(record));
  if (record.tasks.length > 0) sections.push(taskSection(record));
  sections.push(exitSection(record));
  if (record.warnings.length > 0) {
    sections.push(['Warnings', ...record.warnings.map((warning) => `  - ${warning}`)].join('\n'));
  }
  return sections.join('\n\n') + '\n';
}

function processSection(record: RunRecord<LockEventList>): string {
  const rows = processesAsTree(record.processes).map(({ process, depth }) => {
    const cpu = processCpu(process, record.durationMs);
    const cores = [...new Set(process.samples.map((sample) => sample.core).filter((core) => core !== null))].sort((a, b) => a - b);
    return [
      '  '.repeat(depth) + process.pid,
      String(process.ppid),
      process.role,
      process.name,
      `${seconds(process.startMs)}–${process.endMs === null ? '…' : seconds(process.endMs)}`,
      cpu.meanCpu === null ? '–' : formatPercent(cpu.meanCpu),
      cpu.maxCpu === null ? '–' : formatPercent(cpu.maxCpu),
      cpu.cpuMs === null ? '–' : formatMs(cpu.cpuMs),
      cpu.runQueueMs === null ? '–' : formatMs(cpu.runQueueMs),
      cores.length > 0 ? cores.join(',') : '–',
      process.exitCode === null ? '–' : String(process.exitCode),
    ];
  });
  const header = ['PID', 'PPID', 'ROLE', 'NAME', 'LIFETIME', 'CPU MEAN', 'CPU MAX', 'CPU TIME', 'WAITED FOR A CORE', 'CORES', 'EXIT'];
  return [`Processes (${record.processes.length})`, ...table([header, ...rows])].join('\n');
}

/**
 * Each thread of every process that had two or more: its CPU time, the share of its life it
 * spent on a core (a thread of Python code that shares the GIL with others gets at most its
 * part of one core, whatever the number of cores), and how long it waited for the GIL where
 * its threads were read fast; then, for each process read fast, the stove in words.
 */
function threadSection(record: RunRecord<LockEventList>): string | null {
  const rows: string[][] = [];
  const stoves: string[] = [];
  for (const process of record.processes) {
    const threads = process.threads ?? [];
    if (threads.length < 2) continue;
    threads.forEach((thread, i) => {
      const share = lifeOnACore(thread, record.durationMs);
      const fastSamples = thread.samples.filter(isFastSample);
      rows.push([
        i === 0 ? String(process.pid) : '',
        i === 0 ? process.name : '',
        thread.python ? thread.name : `${thread.name} (not started by Python)`,
        String(thread.tid),
        `${seconds(thread.startMs)}–${thread.endMs === null ? '…' : seconds(thread.endMs)}`,
        thread.cpuMs === null ? '–' : formatMs(thread.cpuMs),
        share === null ? '–' : formatPercent(share * 100),
        fastSamples.length === 0 ? '–' : gilWait(timeTotals(fastSamples).gilWaitMs),
      ]);
    });
    const sentence = processStoveSentence(process, record.python.gilEnabled ?? true);
    if (sentence !== '') stoves.push(`    ${process.pid} ${process.name}: ${sentence}`);
  }
  if (rows.length === 0) return null;
  const header = ['PID', 'PROCESS', 'THREAD', 'TID', 'LIFETIME', 'CPU TIME', 'ON A CORE (SHARE OF ITS LIFE)', 'WAITED FOR THE GIL'];
  const lines = ['Threads (of processes with more than one)', ...table([header, ...rows])];
  if (stoves.length > 0) {
    const every = record.sampling?.fastThreadIntervalMs;
    lines.push(`  The stove (who held the GIL${every ? `, read every ${every} ms` : ''} while two or more threads wanted to run):`, ...stoves);
  }
  return lines.join('\n');
}

/** A thread that never waited for the GIL reads "none", not "0.000 ms". */
function gilWait(ms: number): string {
  return ms > 0 ? formatMs(ms) : 'none';
}

function coreSection(record: RunRecord<LockEventList>): string {
  const means = coreMeans(record);
  const lines = ['Cores (mean over the run)'];
  if (means.runCores !== null && means.othersCores !== null) {
    lines.push(`  your run: ${means.runCores.toFixed(2)} cores' worth of work · other programs: ${means.othersCores.toFixed(2)}`);
  }
  for (let core = 0; core < record.cores; core++) {
    const text = record.coreSamples.length > 0 ? coreShareText(means.busy[core], means.run?.[core]) : 'not measured';
    lines.push(`  core ${core}  ${text}`);
  }
  if (means.runCores !== null && means.run === null) {
    lines.push('  (this platform does not say which core ran which process: the per-core figures are all programs\')');
  }
  const wait = coreWaitSentence(record);
  if (wait !== null) lines.push(`  ${wait}`);
  return lines.join('\n');
}

function lockSection(record: RunRecord<LockEventList>, locks: LockStats[]): string {
  const labels = lockLabels(record.locks);
  const header = ['LOCK', 'API', 'ACQUIRED', 'FAILED', 'WAIT TOTAL', 'WAIT MAX', 'HOLD TOTAL', 'CONTENDED'];
  // The standard library's own locks (a pool's, a queue's) are counted apart, as the panel does.
  const own = locks.filter((stats) => !stats.lock.internal);
  const rows = own.map((stats) => [
    labels.get(stats.lock.id) ?? UNKNOWN_LOCK,
    stats.lock.api + (stats.lock.aggregated ? ' (aggregated)' : ''),
    String(stats.acquisitions),
    String(stats.failed),
    formatMs(stats.totalWaitMs),
    formatMs(stats.maxWaitMs),
    formatMs(stats.totalHoldMs),
    formatPercent(stats.contendedShare * 100) + ' of the run',
  ]);
  const lines = ['Locks', ...(rows.length > 0 ? table([header, ...rows]) : ['  none of your own'])];
  const internal = locks.filter((stats) => stats.lock.internal);
  if (internal.length > 0) {
    const acquisitions = internal.reduce((sum, stats) => sum + stats.acquisitions, 0);
    const waited = internal.reduce((sum, stats) => sum + stats.totalWaitMs, 0);
    lines.push(
      `  the standard library's own (a pool's, a queue's, a manager's): ${internal.length} ${internal.length === 1 ? 'lock' : 'locks'}, ` +
        `${acquisitions} ${acquisitions === 1 ? 'acquisition' : 'acquisitions'}, waited ${formatMs(waited)} in all`,
    );
  }
  return lines.join('\n');
}

/** Waits for an Event, at a Barrier, for a Condition's notify: not lock contention. */
function signalSection(record: RunRecord<LockEventList>, signals: SignalWaitStats[]): string {
  const labels = lockLabels(record.locks);
  const header = ['WAITED ON', 'API', 'WAIT', 'WAITS', 'WITHOUT THE SIGNAL', 'WAIT TOTAL', 'WAIT MAX'];
  const rows = signals.map((stats) => [
    labels.get(stats.lock.id) ?? UNKNOWN_LOCK,
    stats.lock.api + (stats.lock.aggregated ? ' (aggregated)' : ''),
    signalWaitText(stats.signal),
    String(stats.waits),
    String(stats.unanswered),
    formatMs(stats.totalWaitMs),
    formatMs(stats.maxWaitMs),
  ]);
  return ['Waits for a signal (not lock contention)', ...table([header, ...rows])].join('\n');
}

function messageSection(record: RunRecord<LockEventList>): string {
  const labels = channelLabels(record.channels);
  const header = ['CHANNEL', 'KIND', 'MESSAGES', 'BYTES', 'BLOCKED'];
  const all = channelStats(record);
  const rows = all.filter((stats) => !stats.internal).map((stats) => [
    labels.get(stats.channel) ?? UNKNOWN_CHANNEL,
    stats.api,
    String(stats.messages),
    String(stats.bytes),
    formatMs(stats.blockedMs),
  ]);
  const lines = ['Messages', ...(rows.length > 0 ? table([header, ...rows]) : ['  none on queues or pipes of your own'])];
  const internal = all.filter((stats) => stats.internal);
  if (internal.length > 0) {
    const messages = internal.reduce((sum, stats) => sum + stats.messages, 0);
    lines.push(
      `  the standard library's own (a pool's task and result queues, a manager's connections): ${internal.length} ${internal.length === 1 ? 'channel' : 'channels'}, ` +
        `${messages} ${messages === 1 ? 'message' : 'messages'}`,
    );
  }
  return lines.join('\n');
}

function taskSection(record: RunRecord<LockEventList>): string {
  const header = ['WORKER PID', 'TASKS', 'ITEMS', 'BUSY', 'FAILED'];
  const rows = workerTaskStats(record).map((stats) => [
    String(stats.pid),
    String(stats.tasks),
    String(stats.items),
    formatMs(stats.busyMs),
    String(stats.failed),
  ]);
  return ['Tasks per worker', ...table([header, ...rows])].join('\n');
}

function exitSection(record: RunRecord<LockEventList>): string {
  const how =
    record.outcome === 'timed-out' ? 'timed out' : record.outcome === 'stopped' ? 'stopped' : `exit code ${record.exitCode ?? '–'}`;
  const truncated = record.truncated ? ' · record truncated (a cap was hit)' : '';
  return `Run: ${how} · ${seconds(record.durationMs)} · ${record.processes.length} processes${truncated}`;
}

/** Rows of cells as aligned, indented text columns; the first row is the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => '  ' + row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

