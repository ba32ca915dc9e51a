// What the sampler learns of the run's processes on each tick, and where it comes from on
// this platform: on Linux a table of the run's processes kept from tick to tick
// (linuxProcessTable.ts), elsewhere a listing of every process plus pidusage
// (listingProcessSource.ts).

import { LinuxProcessTable } from './linuxProcessTable';
import { ListingProcessSource } from './listingProcessSource';
import type { TreeProcess } from './processTree';

export interface ObservedProcess extends TreeProcess {
  /** % of ONE core since the previous tick; 0 on the first tick that sees the process. */
  cpu: number;
  /** Resident set size. */
  rssBytes: number;
  /** Linux: field 39 of /proc/PID/stat, else null. */
  core: number | null;
}

/** Where the run's processes are looked for: these pids and all their descendants. */
export interface RunRoots {
  /** The program the runner started. */
  rootPid: number;
  /**
   * Pids the tracer reported alive (a process can be reported before the tree walk sees it,
   * or after its parent died and it was re-parented).
   */
  extraPids: Iterable<number>;
}

export interface ProcessSource {
  /**
   * Every live process of the run, with its usage since the previous call. `atMs`, on the
   * run's clock, is when the reading started.
   */
  read(roots: RunRoots, atMs: number): Promise<ObservedProcess[]>;
  /** Releases what read() holds open. */
  close(): void;
}

export function createProcessSource(): ProcessSource {
  return process.platform === 'linux' ? new LinuxProcessTable() : new ListingProcessSource();
}
