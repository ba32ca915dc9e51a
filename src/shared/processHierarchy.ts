// The processes of a run as a tree: each process followed by its children, one level
// deeper. Shared by the command line's summary and the panel's process view.

import type { ProcessEntry } from './runRecord';

/** Depth-first: each process followed by its children, by start time; orphans are roots. */
export function processesAsTree(processes: readonly ProcessEntry[]): Array<{ process: ProcessEntry; depth: number }> {
  const byStart = [...processes].filter(Boolean).sort((a, b) => a.startMs - b.startMs || a.pid - b.pid);
  const pids = new Set(byStart.map((process) => process.pid));
  const children = new Map<number, ProcessEntry[]>();
  for (const process of byStart) {
    const list = children.get(process.ppid) ?? [];
    list.push(process);
    children.set(process.ppid, list);
  }
  const ordered: Array<{ process: ProcessEntry; depth: number }> = [];
  const visited = new Set<ProcessEntry>();
  const visit = (process: ProcessEntry, depth: number): void => {
    if (visited.has(process)) return;
    visited.add(process);
    ordered.push({ process, depth });
    for (const child of children.get(process.pid) ?? []) if (child !== process) visit(child, depth + 1);
  };
  for (const process of byStart) if (!pids.has(process.ppid) || process.ppid === process.pid) visit(process, 0);
  // A cycle of reused pids has no root: list what is left flat rather than drop it.
  for (const process of byStart) visit(process, 0);
  return ordered;
}
