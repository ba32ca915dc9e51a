// The processes of a run: finding every descendant of its root, telling whether one is
// still alive, and ending them all. Linux walks /proc; other platforms list all processes.

import * as fs from 'node:fs';
import { LinuxProcessTable } from '../sampling/linux/linuxProcessTable';
import { isExitedState, parseProcPidStat } from '../sampling/linux/linuxProcStat';
import { listProcesses, type ListedProcess } from '../sampling/listing/processListing';
import { walkTree, type TreeSource } from '../sampling/treeWalk';
import { endWindowsTree, runTaskkill, type StopSignal } from './windowsTreeKill';

export interface TreeProcess {
  pid: number;
  ppid: number;
  /** pid + start time: a reused PID gets a different key. */
  key: string;
  command: string;
}

export interface FindDescendantsOptions {
  /** Report the root itself too, when it is alive. */
  includeRoot?: boolean;
}

/** Descendants (children, grandchildren, ...) of a live process; the root excluded unless asked. */
export async function findDescendants(rootPid: number, options: FindDescendantsOptions = {}): Promise<TreeProcess[]> {
  const include = options.includeRoot === true;
  if (process.platform === 'linux') {
    // A first reading of a new table walks the whole tree.
    const table = new LinuxProcessTable();
    try {
      const found = await table.read({ rootPid, extraPids: [] }, 0);
      return found.filter(({ pid }) => include || pid !== rootPid);
    } finally {
      table.close();
    }
  }
  return walkTree(listingTreeSource(await listProcesses()), [{ pid: rootPid, include }]);
}

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

/**
 * POSIX: signals the process group -rootPid (the runner makes the root a group leader)
 * AND every known pid, since a child that called setsid has left the group; the signals
 * are sent before it returns. Windows: `taskkill /T /F` on the root, then every known pid
 * once taskkill has finished (windowsTreeKill.ts). Pass only pids seen alive lately: an
 * old pid may belong to an unrelated process by now.
 */
export function signalProcessTree(rootPid: number, knownPids: Iterable<number>, signal: StopSignal): Promise<void> {
  if (!isSignallable(rootPid)) {
    return Promise.resolve();
  }
  const pids = [rootPid, ...knownPids].filter(isSignallable);
  if (process.platform === 'win32') {
    return endWindowsTree(rootPid, pids, signal, { taskkillTree: runTaskkill, kill: sendSignal });
  }
  sendSignal(-rootPid, signal);
  pids.forEach((pid) => sendSignal(pid, signal));
  return Promise.resolve();
}

/**
 * 0 and negative numbers address process groups (0 is our own), 1 is init, and our own pid
 * is the extension host: a stray one of those must never be signalled.
 */
function isSignallable(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1 && pid !== process.pid;
}

function sendSignal(target: number, signal: StopSignal): void {
  try {
    process.kill(target, signal);
  } catch (error) {
    // ESRCH: already gone. EPERM: the pid now belongs to someone else's process.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') {
      throw error;
    }
  }
}

/** False for a pid that is gone OR a zombie (Linux: state Z in /proc/PID/stat). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  if (process.platform === 'linux') {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(`/proc/${pid}/stat`);
    } catch {
      return false;
    }
    const stat = parseProcPidStat(bytes);
    return stat !== null && !isExitedState(stat.state);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user. Zombies count as alive here: only
    // /proc tells them apart without spawning a process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
