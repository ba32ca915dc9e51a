// The plain-text summary the command line prints after a run: the process tree, how busy
// each core was, the exit, and the warnings. Pure formatting of a finished record.

import { formatMs, formatPercent } from '../../shared/format';
import { processesAsTree } from '../../shared/processHierarchy';
import { channelStats, lockStats, workerTaskStats } from '../../shared/recordStats';
import type { RunRecord } from '../../shared/runRecord';

export function formatSummary(record: RunRecord): string {
  const sections = [processSection(record), coreSection(record)];
  if (record.locks.length > 0) sections.push(lockSection(record));
  if (record.ipcEvents.length > 0) sections.push(messageSection(record));
  if (record.tasks.length > 0) sections.push(taskSection(record));
  sections.push(exitSection(record));
  if (record.warnings.length > 0) {
    sections.push(['Warnings', ...record.warnings.map((warning) => `  - ${warning}`)].join('\n'));
  }
  return sections.join('\n\n') + '\n';
}

function processSection(record: RunRecord): string {
  const header = ['PID', 'PPID', 'ROLE', 'NAME', 'LIFETIME', 'CPU MEAN', 'CPU MAX', 'CPU TIME', 'CORES', 'EXIT'];
  const rows = processesAsTree(record.processes).map(({ process, depth }) => {
    const cpu = process.samples.map((sample) => sample.cpu);
    const cores = [...new Set(process.samples.map((sample) => sample.core).filter((core) => core !== null))].sort((a, b) => a! - b!);
    return [
      '  '.repeat(depth) + process.pid,
      String(process.ppid),
      process.role,
      process.name,
      `${seconds(process.startMs)}–${process.endMs === null ? '…' : seconds(process.endMs)}`,
      cpu.length > 0 ? formatPercent(cpu.reduce((sum, value) => sum + value, 0) / cpu.length) : '–',
      cpu.length > 0 ? formatPercent(Math.max(...cpu)) : '–',
      process.cpuMs === null ? '–' : formatMs(process.cpuMs),
      cores.length > 0 ? cores.join(',') : '–',
      process.exitCode === null ? '–' : String(process.exitCode),
    ];
  });
  return [`Processes (${record.processes.length})`, ...table([header, ...rows])].join('\n');
}

function coreSection(record: RunRecord): string {
  const lines = ['Cores'];
  for (let core = 0; core < record.cores; core++) {
    const usage = record.coreSamples.map((sample) => sample.usage[core]).filter((value) => value !== undefined);
    const mean = usage.length > 0 ? formatPercent(usage.reduce((sum, value) => sum + value, 0) / usage.length) : '–';
    lines.push(`  core ${core}  ${mean} busy (mean)`);
  }
  return lines.join('\n');
}

function lockSection(record: RunRecord): string {
  const header = ['LOCK', 'API', 'ACQUIRED', 'FAILED', 'WAIT TOTAL', 'WAIT MAX', 'HOLD TOTAL', 'CONTENDED'];
  const rows = lockStats(record).map((stats) => [
    stats.lock.id + (stats.lock.internal ? ' (internal)' : ''),
    stats.lock.api + (stats.lock.aggregated ? ' (aggregated)' : ''),
    String(stats.acquisitions),
    String(stats.failed),
    formatMs(stats.totalWaitMs),
    formatMs(stats.maxWaitMs),
    formatMs(stats.totalHoldMs),
    formatPercent(stats.contendedShare * 100) + ' of the run',
  ]);
  return ['Locks', ...table([header, ...rows])].join('\n');
}

function messageSection(record: RunRecord): string {
  const header = ['CHANNEL', 'KIND', 'MESSAGES', 'BYTES', 'BLOCKED'];
  const rows = channelStats(record).map((stats) => [
    stats.channel,
    stats.api,
    String(stats.messages),
    String(stats.bytes),
    formatMs(stats.blockedMs),
  ]);
  return ['Messages', ...table([header, ...rows])].join('\n');
}

function taskSection(record: RunRecord): string {
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

function exitSection(record: RunRecord): string {
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

