// Finds the live processes of a run on each tick. Linux reads /proc through files kept
// open from tick to tick (no process spawned); other platforms list all processes.

import { LinuxProcReader } from './linuxProcReader';
import { listProcesses } from './processListing';
import { linuxTreeSource, listingTreeSource, toTreeProcess, type TreeProcess } from './processTree';
import { walkTree, type WalkRoot } from './treeWalk';

export interface DiscoveredProcess extends TreeProcess {
  /** The logical CPU the process last ran on; null where the platform does not say. */
  core: number | null;
}

export interface ProcessDiscovery {
  /** The roots (those alive, and still the process their key names) and all their descendants. */
  discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]>;
  /** Releases what discover() holds open; discover() may be called again afterwards. */
  close(): void;
}

export function createProcessDiscovery(): ProcessDiscovery {
  return process.platform === 'linux' ? new LinuxDiscovery() : new ListingDiscovery();
}

class LinuxDiscovery implements ProcessDiscovery {
  private readonly reader = new LinuxProcReader();

  async discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]> {
    const found = walkTree(linuxTreeSource(this.reader), roots);
    this.reader.retainOnly(new Set(found.map(({ stat }) => stat.pid)));
    return found.map((process) => ({ ...toTreeProcess(this.reader, process), core: process.stat.processor }));
  }

  close(): void {
    this.reader.close();
  }
}

class ListingDiscovery implements ProcessDiscovery {
  async discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]> {
    const found = walkTree(listingTreeSource(await listProcesses()), roots);
    return found.map(({ pid, ppid, key, command }) => ({ pid, ppid, key, command, core: null }));
  }

  close(): void {
    // Nothing is held between listings.
  }
}
