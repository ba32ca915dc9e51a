// Every descendant of a process, found the way the sampler finds a run's processes: the
// tests and benchmarks use it to check the sampler and to end what they started.

import { LinuxProcessTable } from '../../src/extension/engine/sampling/linux/linuxProcessTable';
import { listingTreeSource, listProcesses } from '../../src/extension/engine/sampling/listing/processListing';
import type { TreeProcess } from '../../src/extension/engine/sampling/processReading';
import { walkTree } from '../../src/extension/engine/sampling/treeWalk';

export interface FindDescendantsOptions {
  /** Report the root itself too, when it is alive. */
  includeRoot?: boolean;
}

/** Descendants (children, grandchildren, ...) of a live process; the root excluded unless asked. */
export async function findDescendants(rootPid: number, options: FindDescendantsOptions = {}): Promise<TreeProcess[]> {
  const include = options.includeRoot === true;
  if (process.platform === 'linux') {
    // A first reading of a new table walks the whole tree.
    const table = new LinuxProcessTable();
    try {
      const found = await table.read({ rootPid, extraPids: [] }, 0);
      return found.filter(({ pid }) => include || pid !== rootPid);
    } finally {
      table.close();
    }
  }
  return walkTree(listingTreeSource(await listProcesses()), [{ pid: rootPid, include }]);
}

