// Ending a tree on Windows: taskkill walks the tree before the root dies, bounded in time
// (the order, with the system's actions recorded; taskkill cannot run here).

import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { endWindowsTree, runTaskkill, type StopSignal, type TreeKillActions } from '../../src/extension/engine/run/windowsTreeKill';

interface Recorder {
  actions: TreeKillActions;
  log: string[];
  /** Makes the pending taskkill exit. */
  finishTaskkill: () => void;
}

function recorder(): Recorder {
  const log: string[] = [];
  let finish = (): void => undefined;
  const actions: TreeKillActions = {
    taskkillTree: (rootPid) => {
      log.push(`taskkill ${rootPid}`);
      const exited = new Promise<void>((resolve) => {
        finish = () => {
          log.push('taskkill exited');
          resolve();
        };
      });
      return { exited, abandon: () => log.push('taskkill abandoned') };
    },
    kill: (pid: number, signal: StopSignal) => log.push(`${signal} ${pid}`),
  };
  return { actions, log, finishTaskkill: () => finish() };
}

describe('ending a tree on Windows', function () {
  it('kills no pid, the root included, until taskkill has walked the tree', async function () {
    const { actions, log, finishTaskkill } = recorder();
    const ended = endWindowsTree(10, [10, 11, 12], 'SIGKILL', actions, 10_000);
    await delay(50);
    assert.deepEqual(log, ['taskkill 10'], 'nothing killed while taskkill runs');
    finishTaskkill();
    await ended;
    assert.deepEqual(log, ['taskkill 10', 'taskkill exited', 'SIGKILL 10', 'SIGKILL 11', 'SIGKILL 12']);
  });

  it('abandons a taskkill that hangs after the bound, then kills the known pids', async function () {
    const { actions, log } = recorder();
    const startedAt = performance.now();
    await endWindowsTree(10, [10, 11], 'SIGTERM', actions, 200);
    const tookMs = performance.now() - startedAt;
    assert.ok(tookMs >= 190 && tookMs < 1000, `took ${tookMs.toFixed(0)} ms with a 200 ms bound`);
    assert.deepEqual(log, ['taskkill 10', 'taskkill abandoned', 'SIGTERM 10', 'SIGTERM 11']);
  });

  it('still ends when taskkill cannot be started (here: there is none)', async function () {
    const startedAt = performance.now();
    await runTaskkill(999_999_999).exited;
    assert.ok(performance.now() - startedAt < 2000, 'resolved on the spawn error');
  });
});
