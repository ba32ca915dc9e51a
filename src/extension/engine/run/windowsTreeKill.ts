// Ending a run's tree on Windows. `taskkill /T` finds the descendants through the parent
// pid each process recorded at its start, from the root down; Windows does not re-parent
// orphans, so once the root is dead the walk cannot start and its descendants survive.
// So taskkill runs first, and the known pids are killed once it has finished (or after a
// bound, should it hang: a stop must not wait forever).

import { spawn } from 'node:child_process';

export type StopSignal = 'SIGTERM' | 'SIGKILL';

/** What ending a tree does to the system, apart so that its order can be tested anywhere. */
export interface TreeKillActions {
  /** Starts `taskkill /T /F` on the root; resolves when it exited or could not start. */
  taskkillTree(rootPid: number): { exited: Promise<void>; abandon(): void };
  kill(pid: number, signal: StopSignal): void;
}

/** taskkill takes well under a second for a tree; a hung one is abandoned after this. */
const TASKKILL_WAIT_MS = 5000;

export async function endWindowsTree(
  rootPid: number,
  pids: readonly number[],
  signal: StopSignal,
  actions: TreeKillActions,
  waitMs = TASKKILL_WAIT_MS,
): Promise<void> {
  const taskkill = actions.taskkillTree(rootPid);
  const finished = await settlesWithin(taskkill.exited, waitMs);
  if (!finished) {
    taskkill.abandon(); // leaves no taskkill behind either
  }
  // The root too: taskkill may have failed (access denied, or it was abandoned).
  pids.forEach((pid) => actions.kill(pid, signal));
}

/** taskkill itself, for TreeKillActions.taskkillTree. */
export function runTaskkill(rootPid: number): { exited: Promise<void>; abandon(): void } {
  const taskkill = spawn('taskkill', ['/T', '/F', '/PID', String(rootPid)], { windowsHide: true, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    taskkill.once('exit', () => resolve());
    taskkill.once('error', () => resolve()); // the known pids are still killed
  });
  return { exited, abandon: () => taskkill.kill() };
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
