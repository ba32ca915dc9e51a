// The tracer's compact tuples turned into the record's event objects, and the per-process
// site tables that give them their source lines. Used by the run-record builder and by the
// live-delta collector, so a live run and its finished record describe events alike.

import type { IpcEvent, LockEvent, SourceSite, TaskRecord } from '../../shared/runRecord';
import type { IpcBatchRecord, LockBatchRecord, SiteRecord, TaskBatchRecord } from './tracerProtocol';

/** Sites are interned per process: ids mean something only together with the pid. */
export class SiteTable {
  private readonly byPid = new Map<number, Map<number, SourceSite>>();

  define(record: SiteRecord): void {
    let table = this.byPid.get(record.pid);
    if (!table) this.byPid.set(record.pid, (table = new Map()));
    table.set(record.id, { file: record.file, line: record.line, function: record.function });
  }

  get(pid: number, id: number | null): SourceSite | null {
    return id === null ? null : this.byPid.get(pid)?.get(id) ?? null;
  }
}

export function lockEventOf(pid: number, [tid, lock, requestMs, acquiredMs, releasedMs, site]: LockBatchRecord['events'][number], sites: SiteTable): LockEvent & { tid: number } {
  return { lock, pid, tid, requestMs, acquiredMs, releasedMs, site: sites.get(pid, site) };
}

/** The message; `endpoint` (which end of a pipe) stays beside it, for pairing sends with receipts. */
export function ipcEventOf(pid: number, [op, channel, endpoint, t, waitMs, bytes, site]: IpcBatchRecord['events'][number], sites: SiteTable): IpcEvent & { endpoint: number } {
  const kind = op === 'put' || op === 'get' ? 'queue' : 'pipe';
  return { channel, kind, op, pid, t, waitMs, bytes, site: sites.get(pid, site), endpoint };
}

/** The task; its `submitKey` stays beside it, for matching the parent's submit time. */
export function taskOf(pid: number, [pool, fn, items, startMs, endMs, ok, site, submitKey]: TaskBatchRecord['events'][number], sites: SiteTable): TaskRecord & { submitKey: string | null } {
  return { pool, pid, fn, items, startMs, endMs, ok, site: sites.get(pid, site), submitKey };
}

/** "python3 worker.py --x" → "python3 worker.py": a readable label for an untraced process. */
export function commandName(command: string): string {
  const words = command.trim().split(/\s+/).slice(0, 2);
  return words.map((word) => word.split(/[\\/]/).pop() ?? word).join(' ') || 'process';
}
