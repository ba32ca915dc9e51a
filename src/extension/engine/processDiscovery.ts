// Finds the live processes of a run on each tick. Linux reads /proc through files kept
// open from tick to tick (no process spawned); other platforms list all processes.

import { kernelUnits } from './linuxAuxv';
import { LinuxProcReader } from './linuxProcReader';
import { listProcesses } from './processListing';
import { linuxTreeSource, listingTreeSource, type TreeProcess } from './processTree';
import { walkTree, type WalkRoot } from './treeWalk';

export interface DiscoveredProcess extends TreeProcess {
  /** The logical CPU the process last ran on; null where the platform does not say. */
  core: number | null;
  /** CPU time used so far, read with the process (Linux); null where the platform does not say. */
  cpuTimeMs: number | null;
  /** Resident memory, read with the process (Linux); null where the platform does not say. */
  rssBytes: number | null;
}

export interface ProcessDiscovery {
  /**
   * The roots (those alive, and still the process their key names) and all their
   * descendants. `forkCount`: the machine's count of created processes and threads, read
   * just before (see SystemTimes), or null.
   */
  discover(roots: WalkRoot[], forkCount: number | null): Promise<DiscoveredProcess[]>;
  /** Releases what discover() holds open; discover() may be called again afterwards. */
  close(): void;
}

export function createProcessDiscovery(): ProcessDiscovery {
  return process.platform === 'linux' ? new LinuxDiscovery() : new ListingDiscovery();
}

/** A full walk at least this often, in case an emulated /proc/stat never moved its count. */
const MAX_TICKS_BETWEEN_FULL_WALKS = 10;

class LinuxDiscovery implements ProcessDiscovery {
  private readonly reader = new LinuxProcReader();
  private readonly units = kernelUnits();
  /** The machine's fork count when the last full walk began; null: none yet. */
  private forkCountAtFullWalk: number | null = null;
  private discoveriesSinceFullWalk = 0;
  /** The children of each process found last time, by parent pid (leaves included). */
  private knownChildren = new Map<number, number[]>();

  /**
   * Reading every process's children files finds nothing new when no process was created
   * on the machine since the last full walk began: the fork count tells. Then the children
   * found last time stand in for the files, and only a process not known before (a pid
   * the tracer just reported, say) has its files read.
   */
  async discover(roots: WalkRoot[], forkCount: number | null): Promise<DiscoveredProcess[]> {
    const fullWalk =
      forkCount === null || forkCount !== this.forkCountAtFullWalk || this.discoveriesSinceFullWalk >= MAX_TICKS_BETWEEN_FULL_WALKS;
    const known = this.knownChildren;
    const found = walkTree(linuxTreeSource(this.reader, fullWalk ? undefined : (pid) => known.get(pid)), roots);
    if (fullWalk) {
      this.forkCountAtFullWalk = forkCount;
      this.discoveriesSinceFullWalk = 0;
    }
    this.discoveriesSinceFullWalk++;
    this.knownChildren = new Map(found.map(({ stat }) => [stat.pid, []]));
    for (const { stat } of found) {
      this.knownChildren.get(stat.ppid)?.push(stat.pid);
    }
    this.reader.retainOnly(this.knownChildren);
    const msPerTick = 1000 / this.units.clockTicksPerSecond;
    return found.map(({ stat, key }) => ({
      pid: stat.pid,
      ppid: stat.ppid,
      key,
      command: this.reader.readCommand(stat.pid, stat),
      core: stat.processor,
      cpuTimeMs: stat.cpuTicks * msPerTick,
      rssBytes: stat.rssPages * this.units.pageSizeBytes,
    }));
  }

  close(): void {
    this.reader.close();
    this.knownChildren = new Map();
    this.forkCountAtFullWalk = null;
  }
}

class ListingDiscovery implements ProcessDiscovery {
  async discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]> {
    const found = walkTree(listingTreeSource(await listProcesses()), roots);
    return found.map(({ pid, ppid, key, command }) => ({ pid, ppid, key, command, core: null, cpuTimeMs: null, rssBytes: null }));
  }

  close(): void {
    // Nothing is held between listings.
  }
}
