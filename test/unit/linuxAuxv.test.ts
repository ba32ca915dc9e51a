// The page size and clock tick from the kernel's auxiliary vector: fixed vectors for each
// word size and byte order, and this machine's vector against `getconf`.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { DEFAULT_KERNEL_UNITS, kernelUnits, parseAuxv } from '../../src/extension/engine/sampling/linux/linuxAuxv';

/** An auxiliary vector of (type, value) pairs, ended by AT_NULL. */
function auxv(pairs: Array<[number, number]>, wordBytes: 4 | 8, littleEndian: boolean): Buffer {
  const buffer = Buffer.alloc((pairs.length + 1) * 2 * wordBytes);
  [...pairs, [0, 0]].forEach(([type, value], i) => {
    for (const [offset, word] of [
      [i * 2 * wordBytes, type],
      [(i * 2 + 1) * wordBytes, value],
    ]) {
      if (wordBytes === 4 && littleEndian) buffer.writeUInt32LE(word, offset);
      if (wordBytes === 4 && !littleEndian) buffer.writeUInt32BE(word, offset);
      if (wordBytes === 8 && littleEndian) buffer.writeBigUInt64LE(BigInt(word), offset);
      if (wordBytes === 8 && !littleEndian) buffer.writeBigUInt64BE(BigInt(word), offset);
    }
  });
  return buffer;
}

describe('parseAuxv', function () {
  const pairs: Array<[number, number]> = [
    [33, 0x7ffd0000], // AT_SYSINFO_EHDR: skipped
    [6, 16384], // AT_PAGESZ
    [17, 250], // AT_CLKTCK
  ];

  for (const [wordBytes, littleEndian] of [
    [8, true],
    [8, false],
    [4, true],
    [4, false],
  ] as const) {
    it(`reads page size and clock tick from ${wordBytes * 8}-bit ${littleEndian ? 'little' : 'big'}-endian words`, function () {
      assert.deepEqual(parseAuxv(auxv(pairs, wordBytes, littleEndian), wordBytes, littleEndian), {
        pageSizeBytes: 16384,
        clockTicksPerSecond: 250,
      });
    });
  }

  it('stops at AT_NULL and keeps the defaults for what is missing', function () {
    const vector = Buffer.concat([auxv([[33, 1]], 8, true), auxv([[6, 65536]], 8, true)]);
    assert.deepEqual(parseAuxv(vector, 8, true), DEFAULT_KERNEL_UNITS);
    assert.deepEqual(parseAuxv(Buffer.alloc(0), 8, true), DEFAULT_KERNEL_UNITS);
  });
});

describe('kernelUnits (this machine)', function () {
  it('agrees with getconf', function () {
    if (process.platform !== 'linux') {
      this.skip();
    }
    const getconf = (name: string): number => Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    assert.deepEqual(kernelUnits(), { pageSizeBytes: getconf('PAGESIZE'), clockTicksPerSecond: getconf('CLK_TCK') });
  });
});
