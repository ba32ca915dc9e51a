// The processes of a run: telling whether one is still alive, and ending them all.

import * as fs from 'node:fs';
import { isExitedState, parseProcPidStat } from '../sampling/linux/linuxProcStat';
import { endWindowsTree, runTaskkill, type StopSignal } from './windowsTreeKill';

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
