// Pool tasks that a worker took and never finished: the task killed its worker (os._exit, a
// segfault, the OOM killer), or the worker was ended while it ran the task.
//
// A worker reports each task it takes before running it (`task-start`, written to its
// spool, which survives a kill) and again when the result leaves (`task-batch`). A start
// without an end, once the worker has ended and every line it wrote has been read, is a task
// that did not finish: it is kept in tasks[] with ok false, ended when its worker ended, and
// a warning says in plain words what happened to the worker and what that did to the pool.
// Until a worker's spool has been read to its end, the end of its task may still be on its
// way; until its exit code is known, the warning cannot say how it ended. So a task is
// decided while the run goes once both are known (closeEnded), and the rest at its end (close).

import { constants } from 'node:os';
import type { ProcessEntry, TaskRecord } from '../../../shared/runRecord';
import type { TaskStartRecord } from '../tracer/tracerProtocol';

type StartTuple = TaskStartRecord['events'][number];

export interface UnfinishedTask {
  pid: number;
  pool: string;
  poolType: string;
  fn: string;
  items: number;
  startMs: number;
  submitKey: string | null;
  /** The call as the learner would write it: "job(2)", "job(…)", "4 calls of job". */
  call: string;
}

export interface ClosedTasks {
  /** In the order the workers ended. */
  tasks: Array<{ task: TaskRecord; submitKey: string | null }>;
  warnings: string[];
}

/** How the run ended, as far as these tasks are concerned: stopped covers a time limit too. */
export interface RunEnd {
  durationMs: number;
  stopped: boolean;
}

/** What the record knows of the processes that run tasks. */
export interface Workers {
  /** The process entry of a pid. */
  processOf(pid: number): ProcessEntry | undefined;
  /** Whether every line the process wrote has been read (record/connectionsRead.ts). */
  allRead(pid: number): boolean;
}

export class UnfinishedTasks {
  /**
   * By worker pid: the task it took last and has not reported finished. A worker runs one
   * task at a time, and its records arrive in order: the end of a task, sent with the same
   * submit key, comes before the start of the next.
   */
  private readonly started = new Map<number, UnfinishedTask>();
  /** Pools a dead worker has broken: the first worker of a pool to die broke it; an executor then ends the rest. */
  private readonly brokenPools = new Set<string>();

  start(pid: number, [pool, poolType, fn, items, startMs, submitKey, call]: StartTuple): void {
    this.started.set(pid, { pid, pool, poolType, fn, items, startMs, submitKey, call });
  }

  end(pid: number, startMs: number, submitKey: string | null): void {
    const task = this.started.get(pid);
    if (task && (submitKey !== null ? task.submitKey === submitKey : task.startMs === startMs)) this.started.delete(pid);
  }

  /**
   * While the run goes: the tasks of the workers that have ended, each ended with its worker.
   * A worker's task is decided once every line the worker wrote has been read and its exit code
   * is known. The ended workers of one pool are decided together, in the order they ended: the
   * first one broke the pool.
   */
  closeEnded(workers: Workers): ClosedTasks {
    const byPool = new Map<string, Array<{ task: UnfinishedTask; worker: ProcessEntry | undefined; read: boolean }>>();
    for (const task of this.started.values()) {
      const worker = workers.processOf(task.pid);
      const read = workers.allRead(task.pid);
      // Still running, as far as anything tells.
      if (!read && worker?.endMs == null && worker?.exitCode == null) continue;
      const ended = byPool.get(task.pool);
      if (ended) ended.push({ task, worker, read });
      else byPool.set(task.pool, [{ task, worker, read }]);
    }
    const decided: WorkerTask[] = [];
    for (const ended of byPool.values()) {
      const known = ended.flatMap(({ task, worker, read }) =>
        read && worker && worker.exitCode !== null && worker.endMs !== null ? [{ task, exitCode: worker.exitCode, endMs: worker.endMs }] : [],
      );
      if (known.length === ended.length) decided.push(...known);
    }
    return this.closeTasks(decided, false);
  }

  /** At the end of the run: the tasks still open, each ended with its worker, or else with the run. */
  close(workers: Workers, run: RunEnd): ClosedTasks {
    const open = [...this.started.values()].map((task) => {
      const worker = workers.processOf(task.pid);
      return { task, exitCode: worker?.exitCode ?? null, endMs: worker?.endMs ?? run.durationMs };
    });
    return this.closeTasks(open, run.stopped);
  }

  private closeTasks(open: WorkerTask[], stopped: boolean): ClosedTasks {
    const endOf = ({ task, endMs }: WorkerTask): number => Math.max(task.startMs, endMs);
    open.sort((a, b) => endOf(a) - endOf(b) || a.task.startMs - b.task.startMs);
    const closed: ClosedTasks = { tasks: [], warnings: [] };
    for (const entry of open) {
      const { task, exitCode } = entry;
      this.started.delete(task.pid);
      const record: TaskRecord = {
        pool: task.pool, pid: task.pid, fn: task.fn, items: task.items, startMs: task.startMs, endMs: endOf(entry), ok: false, site: null,
        workerExitCode: exitCode,
      };
      closed.tasks.push({ task: record, submitKey: task.submitKey });
      closed.warnings.push(warningFor(task, exitCode, stopped, this.brokenPools.has(task.pool)));
      this.brokenPools.add(task.pool);
    }
    return closed;
  }
}

/** A task its worker ended: how the worker ended (exit code null when unknown) and when. */
interface WorkerTask {
  task: UnfinishedTask;
  exitCode: number | null;
  endMs: number;
}

const EXECUTORS: Record<string, { broke: string; name: string }> = {
  ProcessPoolExecutor: {
    broke: 'so the pool broke and every pending future failed (BrokenProcessPool).',
    name: 'ProcessPoolExecutor',
  },
  loky: {
    broke: "so joblib's loky executor broke and every pending task failed (TerminatedWorkerError).",
    name: "joblib's loky executor",
  },
};

function warningFor(task: UnfinishedTask, exitCode: number | null, stopped: boolean, afterPoolBroke: boolean): string {
  const worker = `The worker ${task.pid} running ${task.call}`;
  const signal = exitCode !== null && exitCode < 0 ? signalName(-exitCode) : null;
  const endedFromOutside = exitCode === null || signal === 'SIGTERM' || signal === 'SIGKILL' || signal === 'SIGINT';
  if (stopped && endedFromOutside) {
    return `Parallel Lab stopped the run while worker ${task.pid} was running ${task.call}, so that task did not finish.`;
  }
  const executor = EXECUTORS[task.poolType];
  // An executor's worker catches everything its task raises, SystemExit included; Pool's lets
  // SystemExit (a sys.exit in the task) end the worker.
  const ended = howItEnded(exitCode, signal, executor ? 'os._exit or a crash' : 'os._exit, sys.exit or a crash');
  if (executor) {
    if (afterPoolBroke) {
      return `${worker} ${ended} after the pool had broken: ${executor.name} then ends its other workers, so this task did not finish either.`;
    }
    return `${worker} ${ended}, ${executor.broke}${afterword(signal)}`;
  }
  if (signal === 'SIGTERM') {
    return (
      `${worker} was ended by SIGTERM before the task finished. Pool.terminate(), which also ends a \`with Pool()\` block, ` +
      'ends the workers that are still busy this way.'
    );
  }
  return (
    `${worker} ${ended}. Pool starts a new worker in its place, but this task is lost: its result never comes, ` +
    `so a get() or map() waiting for it waits forever unless it has a timeout.${afterword(signal)}`
  );
}

/** What a signal that ends a process means, after its name: "signal 11 (SIGSEGV, a crash: ...)". */
const SIGNAL_CAUSES: Record<string, string> = {
  SIGSEGV: 'a crash: it read or wrote memory it may not',
  SIGBUS: 'a crash: a bad memory access',
  SIGABRT: 'a crash: the process aborted',
  SIGFPE: 'a crash: an arithmetic fault',
  SIGILL: 'a crash: an illegal instruction',
  SIGTERM: 'ended from outside',
};

/**
 * A sentence after the warning for a signal whose likely cause is worth a word of its own.
 * SIGKILL cannot be caught and Python never sends it by itself: it comes from Linux's
 * out-of-memory killer or from a kill -9, and the record cannot tell which. So the
 * out-of-memory killer is said as a possibility.
 */
function afterword(signal: string | null): string {
  if (signal !== 'SIGKILL') return '';
  return (
    " SIGKILL is what Linux's out-of-memory killer sends when the machine runs out of memory, so the task may have " +
    'needed more memory than there was; a kill -9 sends it too.'
  );
}

function howItEnded(exitCode: number | null, signal: string | null, exitCauses: string): string {
  if (exitCode === null) return 'ended before the task finished (Parallel Lab did not see its exit code)';
  if (exitCode >= 0) return `died with exit code ${exitCode} (${exitCauses})`;
  // Python's exit code for a death by a signal is minus the signal's number.
  const cause = signal ? SIGNAL_CAUSES[signal] : undefined;
  const named = signal ? ` (${signal}${cause ? `, ${cause}` : ''})` : '';
  return `was killed by signal ${-exitCode}${named}`;
}

function signalName(signal: number): string | null {
  for (const [name, number] of Object.entries(constants.signals)) if (number === signal) return name;
  return null;
}
