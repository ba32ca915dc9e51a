// The run's processes where there is no /proc to read (macOS, Windows): each tick lists every
// process (processListing.ts, through one listing process kept for the run:
// longLivedListing.ts), walks the run's tree in that listing, and takes CPU and memory from
// the listing where it has them (Windows) or from pidusage (macOS). It costs milliseconds
// where the Linux table costs a fraction of one, but it reports the same facts, less the
// last core (so less the run's share of each core) and the time spent waiting for a free core.

import { ListedUsageMeter } from './listedUsage';
import { LongLivedListing, type ListingCommand } from './longLivedListing';
import { listingTreeSource, longLivedListingCommand, parseListing, type ListedProcess } from './processListing';
import type { ObservedProcess, ProcessSource, RunRoots } from '../processReading';
import { PidusageMeter, type ProcessUsage } from './processUsage';
import { walkTree, type WalkRoot } from '../treeWalk';

/** How a platform lists its processes; apart so that tests can stand in for Windows's. */
export interface ListingParts {
  command: ListingCommand;
  parse(text: string): ListedProcess[];
  /** The listing carries each process's CPU time and memory (ListedProcess.usage). */
  carriesUsage: boolean;
}

export function listingPartsOf(platform: NodeJS.Platform = process.platform): ListingParts {
  return {
    command: longLivedListingCommand(platform),
    parse: (text) => parseListing(text, platform),
    carriesUsage: platform === 'win32',
  };
}

export class ListingProcessSource implements ProcessSource {
  readonly readsThreads = false;
  private readonly listing: LongLivedListing;
  /** CPU and memory of the processes found, from the listing or from pidusage. */
  private readonly usageOf: (found: ListedProcess[], listedAtMs: number) => Promise<Map<number, ProcessUsage>>;
  /** Every process seen alive at the last tick, by pid: its orphans are re-parented away. */
  private seen = new Map<number, string>();

  constructor(private readonly parts: ListingParts = listingPartsOf()) {
    this.listing = new LongLivedListing(parts.command);
    if (parts.carriesUsage) {
      const meter = new ListedUsageMeter();
      this.usageOf = async (found, listedAtMs) => meter.read(found, listedAtMs);
    } else {
      const meter = new PidusageMeter();
      this.usageOf = (found) => meter.read(found);
    }
  }

  async read(roots: RunRoots): Promise<ObservedProcess[]> {
    const listed = this.parts.parse(await this.listing.next());
    const listedAtMs = performance.now();
    const found = walkTree(listingTreeSource(listed), this.walkRoots(roots));
    this.seen = new Map(found.map(({ pid, key }) => [pid, key]));
    const usage = await this.usageOf(found, listedAtMs);
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

  /** Ends the listing process. */
  close(): void {
    this.listing.close();
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
