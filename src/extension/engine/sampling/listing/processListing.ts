// Lists every process on the machine where there is no /proc to walk: `ps` on macOS and
// other POSIX systems, CIM through PowerShell on Windows (wmic is gone from recent Windows).
// A one-off listing (listProcesses) starts one process; the sampler keeps one running
// instead (longLivedListingCommand, see longLivedListing.ts).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ListingCommand } from './longLivedListing';
import type { TreeProcess } from '../processReading';
import type { TreeSource } from '../treeWalk';

const execFileAsync = promisify(execFile);

/** A process of a listing; the start time orders a parent before its children. */
export interface ListedProcess extends TreeProcess {
  /** ms since the epoch; NaN when the platform's text could not be read as a date. */
  startedMs: number;
  /** Windows: its CPU time and working set, read with the listing. Elsewhere pidusage reads them. */
  usage?: ListedUsage;
}

export interface ListedUsage {
  /** Kernel + user time. */
  cpuTimeMs: number;
  rssBytes: number;
}

const LISTING_MAX_BYTES = 64 * 1024 * 1024;

// -ww: never cut the command to the terminal width. LC_ALL=C (in the env): English lstart
// dates. stat: to leave out zombies, which have ended (see parsePsListing).
const PS_ARGS = ['-A', '-ww', '-o', 'pid=,ppid=,stat=,lstart=,command='];

const CIM_LISTING = [
  'Get-CimInstance Win32_Process | Select-Object ProcessId, ParentProcessId, CommandLine,',
  'KernelModeTime, UserModeTime, WorkingSetSize,',
  "@{ n = 'Created'; e = { if ($_.CreationDate) { $_.CreationDate.ToFileTimeUtc() } else { 0 } } }",
  '| ConvertTo-Json -Compress',
].join(' ');

const UTF8_OUTPUT = '[Console]::OutputEncoding = [Text.Encoding]::UTF8';

const CIM_SCRIPT = `${UTF8_OUTPUT}; ${CIM_LISTING}`;

/**
 * One listing per line read, each followed by longLivedListing.ts's end line; it returns
 * at the end of its input. Written out and flushed at once: PowerShell's own output of a
 * pipeline may wait in a buffer.
 */
const CIM_LOOP = [
  `${UTF8_OUTPUT};`,
  'while ($null -ne [Console]::In.ReadLine()) {',
  '$status = 0;',
  `try { [Console]::Out.WriteLine((${CIM_LISTING})) } catch { $status = 1 };`,
  "[Console]::Out.WriteLine('--- end of listing ' + $status + ' ---');",
  '[Console]::Out.Flush()',
  '}',
].join(' ');

const PS_LOOP = `while read -r _; do ps ${PS_ARGS.join(' ')}; echo "--- end of listing $? ---"; done`;

/** The listing process the sampler keeps for a run on this platform. */
export function longLivedListingCommand(platform: NodeJS.Platform = process.platform): ListingCommand {
  if (platform === 'win32') {
    // Encoded: the script's quotes reach PowerShell as written, whatever Windows's quoting.
    return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(CIM_LOOP, 'utf16le').toString('base64')] };
  }
  return { command: 'sh', args: ['-c', PS_LOOP], env: { ...process.env, LC_ALL: 'C' } };
}

/** Parses a listing of this platform's listing command. */
export function parseListing(text: string, platform: NodeJS.Platform = process.platform): ListedProcess[] {
  return platform === 'win32' ? parseCimListing(text) : parsePsListing(text);
}

export async function listProcesses(): Promise<ListedProcess[]> {
  return process.platform === 'win32' ? listWithCim() : listWithPs();
}

async function listWithPs(): Promise<ListedProcess[]> {
  const { stdout } = await execFileAsync('ps', PS_ARGS, {
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: LISTING_MAX_BYTES,
  });
  return parsePsListing(stdout);
}

/**
 * Parses `ps -o pid=,ppid=,stat=,lstart=,command=` lines, e.g.
 * "  42     1 S    Mon Jan  1 12:00:00 2024 sleep 5". A zombie (state Z) has ended and
 * waits for its parent to collect its exit status: it is not listed, as it would be
 * sampled with no memory and then vanish.
 */
export function parsePsListing(text: string): ListedProcess[] {
  const listed: ListedProcess[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4})\s?(.*)$/.exec(line);
    if (!match || match[3].startsWith('Z')) {
      continue;
    }
    const pid = Number(match[1]);
    const started = match[4].replace(/\s+/g, ' ');
    listed.push({
      pid,
      ppid: Number(match[2]),
      key: `${pid}@${started}`,
      command: match[5],
      startedMs: Date.parse(started),
    });
  }
  return listed;
}

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
      ...usageOf(fields),
    });
  }
  return listed;
}

/** CPU times in 100 ns units and the working set in bytes, as WMI gives them (pidusage reads the same). */
function usageOf(fields: Record<string, unknown>): { usage?: ListedUsage } {
  const { KernelModeTime: kernel, UserModeTime: user, WorkingSetSize: workingSet } = fields;
  if (typeof kernel !== 'number' || typeof user !== 'number' || typeof workingSet !== 'number') {
    return {};
  }
  return { usage: { cpuTimeMs: (kernel + user) / 10_000, rssBytes: workingSet } };
}

/** The tree a listing describes, for walkTree. */
export function listingTreeSource(listing: ListedProcess[]): TreeSource<ListedProcess> {
  const byPid = new Map<number, ListedProcess>();
  const childrenByParent = new Map<number, number[]>();
  for (const listed of listing) {
    byPid.set(listed.pid, listed);
    const siblings = childrenByParent.get(listed.ppid) ?? [];
    siblings.push(listed.pid);
    childrenByParent.set(listed.ppid, siblings);
  }
  return {
    lookup: (pid) => byPid.get(pid) ?? null,
    keyOf: (listed) => listed.key,
    childrenOf: (pid) => childrenByParent.get(pid) ?? [],
    // Windows does not re-parent orphans: a child's parent pid may since have been reused
    // by a younger process, which is not its parent.
    isChildOf: (child, parentPid, parent) =>
      child.ppid === parentPid && !(child.startedMs < parent.startedMs),
  };
}
