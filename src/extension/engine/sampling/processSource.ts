// Where the sampler's readings of the run's processes come from on this platform: on Linux
// a table of the run's processes kept from tick to tick (linuxProcessTable.ts), elsewhere a
// listing of every process plus pidusage (listingProcessSource.ts).
// PARALLEL_LAB_PROCESS_SOURCE=listing takes the listing on Linux too, so that the path of
// macOS and Windows runs in the tests here.

import { LinuxProcessTable } from './linux/linuxProcessTable';
import { ListingProcessSource } from './listing/listingProcessSource';
import type { ProcessSource } from './processReading';

export const PROCESS_SOURCE_ENV = 'PARALLEL_LAB_PROCESS_SOURCE';

export function createProcessSource(env: NodeJS.ProcessEnv = process.env): ProcessSource {
  const listing = process.platform !== 'linux' || env[PROCESS_SOURCE_ENV] === 'listing';
  return listing ? new ListingProcessSource() : new LinuxProcessTable();
}
