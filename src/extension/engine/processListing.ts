// Lists every process on the machine where there is no /proc to walk: `ps` on macOS and
// other POSIX systems, CIM through PowerShell on Windows (wmic is gone from recent Windows).
// One listing spawns one process, so the tree walk on these platforms costs a few ms.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TreeProcess } from './processTree';

const execFileAsync = promisify(execFile);

/** A process of a listing; the start time orders a parent before its children. */
export interface ListedProcess extends TreeProcess {
  /** ms since the epoch; NaN when the platform's text could not be read as a date. */
  startedMs: number;
}

const LISTING_MAX_BYTES = 64 * 1024 * 1024;

export async function listProcesses(): Promise<ListedProcess[]> {
  return process.platform === 'win32' ? listWithCim() : listWithPs();
}

async function listWithPs(): Promise<ListedProcess[]> {
  // -ww: never cut the command to the terminal width. LC_ALL=C: English lstart dates.
  const { stdout } = await execFileAsync('ps', ['-A', '-ww', '-o', 'pid=,ppid=,lstart=,command='], {
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: LISTING_MAX_BYTES,
  });
  return parsePsListing(stdout);
}

/** Parses `ps -o pid=,ppid=,lstart=,command=` lines, e.g. "  42     1 Mon Jan  1 12:00:00 2024 sleep 5". */
export function parsePsListing(text: string): ListedProcess[] {
  const listed: ListedProcess[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4})\s?(.*)$/.exec(line);
    if (!match) {
      continue;
    }
    const pid = Number(match[1]);
    const started = match[3].replace(/\s+/g, ' ');
    listed.push({
      pid,
      ppid: Number(match[2]),
      key: `${pid}@${started}`,
      command: match[4],
      startedMs: Date.parse(started),
    });
  }
  return listed;
}

const CIM_SCRIPT = [
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  'Get-CimInstance Win32_Process | Select-Object ProcessId, ParentProcessId, CommandLine,',
  "@{ n = 'Created'; e = { if ($_.CreationDate) { $_.CreationDate.ToFileTimeUtc() } else { 0 } } }",
  '| ConvertTo-Json -Compress',
].join(' ');

async function listWithCim(): Promise<ListedProcess[]> {
  const { stdout } = await execFileAsync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', CIM_SCRIPT], {
    windowsHide: true,
    maxBuffer: LISTING_MAX_BYTES,
  });
  return parseCimListing(stdout);
}

/** Windows FILETIME (100 ns since 1601) to ms since 1970. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000;

/**
 * Parses the JSON of CIM_SCRIPT: an array, or a lone object when there is one process.
 * PowerShell writes UTF-8 with a byte order mark once the console's output encoding is
 * UTF-8, and Node keeps it as U+FEFF, which JSON.parse refuses.
 */
export function parseCimListing(text: string): ListedProcess[] {
  const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  const listed: ListedProcess[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) {
      continue;
    }
    const fields = item as Record<string, unknown>;
    const { ProcessId: pid, ParentProcessId: ppid, Created: created, CommandLine: command } = fields;
    if (typeof pid !== 'number' || typeof ppid !== 'number' || typeof created !== 'number') {
      continue;
    }
    listed.push({
      pid,
      ppid,
      key: `${pid}@${created}`,
      command: typeof command === 'string' ? command : '',
      startedMs: created === 0 ? Number.NaN : created / 10_000 - FILETIME_EPOCH_OFFSET_MS,
    });
  }
  return listed;
}
