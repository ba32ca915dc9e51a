// The two kernel constants that turn /proc/PID/stat into bytes and seconds: the page size
// (RSS is counted in pages) and the clock tick (CPU time is counted in ticks). The kernel
// hands both to every process in its auxiliary vector, readable at /proc/self/auxv, which
// saves spawning `getconf` as pidusage does.

import * as fs from 'node:fs';
import * as os from 'node:os';

export interface KernelUnits {
  pageSizeBytes: number;
  clockTicksPerSecond: number;
}

/** What nearly every Linux uses; taken when auxv cannot be read (a sandbox without /proc). */
export const DEFAULT_KERNEL_UNITS: KernelUnits = { pageSizeBytes: 4096, clockTicksPerSecond: 100 };

// Entry types, from <elf.h>.
const AT_NULL = 0;
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

/** The architectures Node runs on with 32-bit words; every other one has 64-bit words. */
const WORD_32_ARCHES = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390']);

/**
 * Reads the units from an auxiliary vector: (type, value) pairs of native words in native
 * byte order, ended by AT_NULL. A missing entry keeps its default.
 */
export function parseAuxv(auxv: Buffer, wordBytes: 4 | 8, littleEndian: boolean): KernelUnits {
  const units = { ...DEFAULT_KERNEL_UNITS };
  const word = (offset: number): number => {
    if (wordBytes === 4) {
      return littleEndian ? auxv.readUInt32LE(offset) : auxv.readUInt32BE(offset);
    }
    return Number(littleEndian ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset));
  };
  for (let offset = 0; offset + 2 * wordBytes <= auxv.length; offset += 2 * wordBytes) {
    const type = word(offset);
    if (type === AT_NULL) {
      break;
    }
    const value = word(offset + wordBytes);
    if (type === AT_PAGESZ && value > 0) {
      units.pageSizeBytes = value;
    } else if (type === AT_CLKTCK && value > 0) {
      units.clockTicksPerSecond = value;
    }
  }
  return units;
}

let cached: KernelUnits | null = null;

/** This machine's units, read once. */
export function kernelUnits(): KernelUnits {
  if (cached === null) {
    try {
      const wordBytes = WORD_32_ARCHES.has(process.arch) ? 4 : 8;
      cached = parseAuxv(fs.readFileSync('/proc/self/auxv'), wordBytes, os.endianness() === 'LE');
    } catch {
      cached = DEFAULT_KERNEL_UNITS;
    }
  }
  return cached;
}
