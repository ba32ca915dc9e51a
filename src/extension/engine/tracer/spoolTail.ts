// Reads one spool file of the tracer (runtimes/python/parallel_lab_tracer/spool.py) as it
// grows: a file sized up front and filled from its start, whose written part ends at the
// first NUL byte. Each read returns the bytes written since the last one.

import { closeSync, openSync, readSync } from 'node:fs';

/** The most one read takes; the next read goes on from there. */
const READ_BYTES = 1 << 20;

/** A spool file's name as the tracer makes it: `PID-N.spool`. Nothing else is opened. */
export const SPOOL_FILE_NAME = /^\d+-\d+\.spool$/;

export class SpoolTail {
  private position = 0;
  private descriptor: number | null;
  private readonly buffer = Buffer.alloc(READ_BYTES);

  constructor(readonly file: string) {
    this.descriptor = openSync(file, 'r');
  }

  /** The bytes written since the last read, or null when there are none yet. */
  readNew(): Buffer | null {
    if (this.descriptor === null) return null;
    const read = readSync(this.descriptor, this.buffer, 0, READ_BYTES, this.position);
    const end = this.buffer.subarray(0, read).indexOf(0);
    const length = end < 0 ? read : end;
    if (length === 0) return null;
    this.position += length;
    return Buffer.from(this.buffer.subarray(0, length));
  }

  close(): void {
    if (this.descriptor !== null) closeSync(this.descriptor);
    this.descriptor = null;
  }
}
