// The walk from a run's roots down to every descendant, shared by the Linux /proc reader
// and the process listings of other platforms, which differ only in how they look a pid up.

export interface TreeSource<P> {
  /** The live process with this pid, or null. */
  lookup(pid: number): P | null;
  keyOf(process: P): string;
  /** Pids that claim `process` as their parent. */
  childrenOf(pid: number, process: P): number[];
  /** Guards against a pid that was reused between listing the children and looking it up. */
  isChildOf(child: P, parentPid: number, parent: P): boolean;
}

export interface WalkRoot {
  pid: number;
  /** When set, the pid counts as a root only while it still names this process. */
  key?: string;
  /** Whether the root itself is part of the result (descendants always are). */
  include: boolean;
}

/** Roots (when included) and all their live descendants, each process once. */
export function walkTree<P>(source: TreeSource<P>, roots: Iterable<WalkRoot>): P[] {
  const found: P[] = [];
  const reported = new Set<number>();
  const expanded = new Set<number>();
  const pending: Array<{ pid: number; process: P }> = [];
  for (const root of roots) {
    if (expanded.has(root.pid)) {
      continue;
    }
    const process = source.lookup(root.pid);
    if (process === null || (root.key !== undefined && source.keyOf(process) !== root.key)) {
      continue;
    }
    expanded.add(root.pid);
    pending.push({ pid: root.pid, process });
    if (root.include) {
      reported.add(root.pid);
      found.push(process);
    }
  }
  // Depth-first: the order of the result does not matter, only that each pid is seen once.
  // A root left out of the result still appears when it descends from another root.
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const childPid of source.childrenOf(next.pid, next.process)) {
      if (reported.has(childPid)) {
        continue;
      }
      const child = source.lookup(childPid);
      if (child === null || !source.isChildOf(child, next.pid, next.process)) {
        continue;
      }
      reported.add(childPid);
      found.push(child);
      if (!expanded.has(childPid)) {
        expanded.add(childPid);
        pending.push({ pid: childPid, process: child });
      }
    }
  }
  return found;
}
