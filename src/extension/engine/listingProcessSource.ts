// The run's processes where there is no /proc to read (macOS, Windows): each tick lists every
// process (processListing.ts), walks the run's tree in that listing, and asks pidusage for
// CPU and memory. It spawns a process per tick, so it costs milliseconds where the Linux
// table costs a fraction of one, but it reports the same facts, less the last core (so
// less the run's share of each core) and the time spent waiting for a free core.

import { PidusageMeter } from './processUsage';
import { listProcesses } from './processListing';
import type { ObservedProcess, ProcessSource, RunRoots } from './processSource';
import { listingTreeSource } from './processTree';
import { walkTree, type WalkRoot } from './treeWalk';

export class ListingProcessSource implements ProcessSource {
  private readonly usage = new PidusageMeter();
  /** Every process seen alive at the last tick, by pid: its orphans are re-parented away. */
  private seen = new Map<number, string>();

  async read(roots: RunRoots): Promise<ObservedProcess[]> {
    const found = walkTree(listingTreeSource(await listProcesses()), this.walkRoots(roots));
    this.seen = new Map(found.map(({ pid, key }) => [pid, key]));
    const usage = await this.usage.read(found);
    const observed: ObservedProcess[] = [];
    for (const { pid, ppid, key, command } of found) {
      const read = usage.get(pid);
      // Missing: the process ended between the listing and the read.
      if (read !== undefined) {
        observed.push({ pid, ppid, key, command, cpu: read.cpu, cpuTimeMs: read.cpuTimeMs, runQueueMs: null, rssBytes: read.rssBytes, core: null });
      }
    }
    return observed;
  }

  cpuMsByCore(): null {
    return null;
  }

  close(): void {
    this.seen = new Map();
  }

  private walkRoots({ rootPid, extraPids }: RunRoots): WalkRoot[] {
    const roots: WalkRoot[] = [{ pid: rootPid, key: this.seen.get(rootPid), include: true }];
    // A seen pid stands for its process only while the key matches: once reused it is a
    // stranger (found again through its parent if it belongs to the run after all).
    for (const [pid, key] of this.seen) {
      roots.push({ pid, key, include: true });
    }
    for (const pid of extraPids) {
      roots.push({ pid, include: true });
    }
    return roots;
  }
}
