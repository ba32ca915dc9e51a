// The tracer's compact tuples turned into the record's event objects, the per-process site
// tables that give them their source lines, and what a parent's word on its children's
// starts and exits means for their process entries. Used by the run-record builder, whose
// changes are also what a live run shows.

import type { IpcEvent, LockEvent, ProcessEntry, SourceSite, TaskRecord } from '../../../shared/runRecord';
import type { ChildExitRecord, ChildStartRecord, IpcBatchRecord, LockBatchRecord, ProcessStartRecord, SiteRecord, TaskBatchRecord } from './tracerProtocol';

/** Sites are interned per process: ids mean something only together with the pid. */
export class SiteTable {
  private readonly byPid = new Map<number, Map<number, SourceSite>>();

  define(record: SiteRecord): void {
    let table = this.byPid.get(record.pid);
    if (!table) this.byPid.set(record.pid, (table = new Map<number, SourceSite>()));
    table.set(record.id, { file: record.file, line: record.line, function: record.function });
  }

  get(pid: number, id: number | null): SourceSite | null {
    return id === null ? null : this.byPid.get(pid)?.get(id) ?? null;
  }
}

export function lockEventOf(pid: number, [tid, lock, requestMs, acquiredMs, releasedMs, site]: LockBatchRecord['events'][number], sites: SiteTable): LockEvent & { tid: number } {
  return { lock, pid, tid, requestMs, acquiredMs, releasedMs, site: sites.get(pid, site) };
}

/** The message (which end of a pipe it used, the tuple's third item, is not part of it). */
export function ipcEventOf(pid: number, [op, channel, , t, waitMs, bytes, site]: IpcBatchRecord['events'][number], sites: SiteTable): IpcEvent {
  const kind = op === 'put' || op === 'get' ? 'queue' : 'pipe';
  return { channel, kind, op, pid, t, waitMs, bytes, site: sites.get(pid, site) };
}

/** The task (its submit key, the tuple's last item, is not part of it). */
export function taskOf(pid: number, [pool, fn, items, startMs, endMs, ok, site]: TaskBatchRecord['events'][number], sites: SiteTable): TaskRecord {
  return { pool, pid, fn, items, startMs, endMs, ok, site: sites.get(pid, site) };
}

/**
 * When a traced process began: the tracer starts in it only after the interpreter's start-up
 * (or, in a fork child, the fork's own work), and the CPU time it had used by then was spent
 * after the process began. Without this a short process would seem to have used more CPU
 * than it lived.
 */
export function processStartOf(record: ProcessStartRecord): number {
  return Math.max(0, record.t - (record.cpuMs ?? 0));
}

/** "python3 worker.py --x" → "python3 worker.py": a readable label for an untraced process. */
export function commandName(command: string): string {
  const words = command.trim().split(/\s+/).slice(0, 2);
  return words.map((word) => word.split(/[\\/]/).pop() ?? word).join(' ') || 'process';
}

/**
 * Whether a `child-start` is a process the record does not have yet. A known pid is that child
 * unless its process ended and had another parent (the pid was reused): a short Python child
 * can report its whole life on its own connection before its parent's word arrives.
 */
export function isUnknownChild(known: Pick<ProcessEntry, 'ppid' | 'endMs'> | undefined, record: ChildStartRecord): boolean {
  return known === undefined || (known.endMs !== null && known.ppid !== record.ppid);
}

/** What a `child-start` says about a process that runs no tracer: what the sampler would say. */
export function childStartFacts(record: ChildStartRecord): Pick<ProcessEntry, 'pid' | 'ppid' | 'role' | 'name' | 'startMs' | 'traced' | 'command'> {
  return { pid: record.pid, ppid: record.ppid, role: 'other', name: commandName(record.command), startMs: record.t, traced: false, command: record.command };
}

/**
 * A child's end as its parent collected it. The parent's exit code is authoritative (it also
 * covers a child killed by a signal); an end time already known (the child's own) is closer.
 */
export function childExitFacts(known: Pick<ProcessEntry, 'endMs'>, exit: ChildExitRecord): Pick<ProcessEntry, 'exitCode' | 'endMs'> {
  return { exitCode: exit.exitCode, endMs: known.endMs ?? exit.t };
}

/**
 * Exits a parent collected for pids not known yet: a fork child's own start travels on its
 * own connection and can arrive after its parent's word on its end. Each is placed once the
 * process appears.
 */
export class UnplacedExits {
  private readonly byPid = new Map<number, ChildExitRecord>();

  hold(exit: ChildExitRecord): void {
    this.byPid.set(exit.pid, exit);
  }

  /** The held exit of `pid`, a process that has just appeared with this start, taken out. */
  take(pid: number, startMs: number): ChildExitRecord | undefined {
    const exit = this.byPid.get(pid);
    // An exit from before this process started belongs to an earlier one with the same pid.
    if (exit === undefined || exit.t < startMs) return undefined;
    this.byPid.delete(pid);
    return exit;
  }

  /** The exits no process ever claimed. */
  remaining(): IterableIterator<ChildExitRecord> {
    return this.byPid.values();
  }
}
