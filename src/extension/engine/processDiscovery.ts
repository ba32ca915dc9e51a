// Finds the live processes of a run on each tick. Linux reads /proc through files kept
// open from tick to tick (no process spawned); other platforms list all processes.

import { kernelUnits } from './linuxAuxv';
import { LinuxProcReader, type LinuxProcess } from './linuxProcReader';
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
  /** The roots (those alive, and still the process their key names) and all their descendants. */
  discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]>;
  /** Releases what discover() holds open; discover() may be called again afterwards. */
  close(): void;
}

export function createProcessDiscovery(): ProcessDiscovery {
  return process.platform === 'linux' ? new LinuxDiscovery() : new ListingDiscovery();
}

/** A full walk at least this often, in case a process was missed (another pid namespace, say). */
const MAX_TICKS_BETWEEN_FULL_WALKS = 10;
/** More new pids than this since the last walk: a full walk costs less than looking at each. */
const MAX_NEW_PIDS_TO_LOOK_AT = 32;

class LinuxDiscovery implements ProcessDiscovery {
  private readonly reader = new LinuxProcReader();
  private readonly units = kernelUnits();
  /** The last pid the kernel handed out, read before the last walk; null: none yet. */
  private lastPidAtWalk: number | null = null;
  private walksSinceFullWalk = 0;
  /** The children of each process found last time, by parent pid (leaves included). */
  private knownChildren = new Map<number, number[]>();

  /**
   * Reading every process's children files finds only what is new since the last walk, and
   * the kernel hands out pids in increasing order: so only the parents of the pids handed
   * out since then can have a new child. Their children files are read; for every other
   * process the children found last time stand in for the files.
   */
  async discover(roots: WalkRoot[]): Promise<DiscoveredProcess[]> {
    // Before the walk: a process created after this reading is new to the next walk.
    const lastPid = this.reader.readLastPid();
    const parentsToRead = this.walksSinceFullWalk < MAX_TICKS_BETWEEN_FULL_WALKS ? this.parentsOfPidsSince(lastPid) : null;
    const known = this.knownChildren;
    const knownChildren = parentsToRead === null ? undefined : (pid: number) => (parentsToRead.has(pid) ? undefined : known.get(pid));
    const found = walkTree(linuxTreeSource(this.reader, knownChildren), roots);
    this.lastPidAtWalk = lastPid;
    this.walksSinceFullWalk = parentsToRead === null ? 1 : this.walksSinceFullWalk + 1;
    this.knownChildren = childrenByParent(found);
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
    this.lastPidAtWalk = null;
  }

  /**
   * The known processes that may have a child not known yet: the parents of the pids handed
   * out since the last walk (threads get pids too; their parent is their process's parent,
   * which costs a needless read at worst). Null when a full walk is needed: no earlier
   * walk, too many new pids, or the pids wrapped around.
   */
  private parentsOfPidsSince(lastPid: number | null): Set<number> | null {
    const previous = this.lastPidAtWalk;
    if (lastPid === null || previous === null || lastPid < previous || lastPid - previous > MAX_NEW_PIDS_TO_LOOK_AT) {
      return null;
    }
    const parents = new Set<number>();
    for (let pid = previous + 1; pid <= lastPid; pid++) {
      const created = this.knownChildren.has(pid) ? null : this.reader.readLive(pid);
      if (created !== null && this.knownChildren.has(created.stat.ppid)) {
        parents.add(created.stat.ppid);
      }
    }
    return parents;
  }
}

/** Each found process's children among the found, by parent pid; an empty list for leaves. */
function childrenByParent(found: LinuxProcess[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const { stat } of found) {
    children.set(stat.pid, []);
  }
  for (const { stat } of found) {
    children.get(stat.ppid)?.push(stat.pid);
  }
  return children;
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
