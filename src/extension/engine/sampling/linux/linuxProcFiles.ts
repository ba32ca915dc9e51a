// Reading /proc files for the sampler's process table (linuxProcessTable.ts). Files are kept
// open from tick to tick where they are read every tick: a pread at offset 0 on an open
// /proc file regenerates its text, and costs about a tenth of an open + read + close
// (measured: 1.7 µs against 12 µs per /proc/PID/stat). An open /proc/PID/* file stays bound
// to the process it was opened for: once that process is reaped a read fails (ESRCH), so a
// reused pid can never be read through a stale file.

import * as fs from 'node:fs';
import { parsePidList, parseProcPidStat } from './linuxProcStat';

/** Generous for a stat line (well under 1 KB); commands longer than this are cut. */
export const READ_BUFFER_BYTES = 4096;

/** Opens a file for reading; null when it does not exist (any more). */
export function openIfExists(path: string): number | null {
  // A failed open throws, and the error costs about 0.1 ms to build: more than a whole
  // tick's reads. Most pids a tick looks up in vain (see linuxProcessTable.ts) are gone
  // already, so ask first.
  if (!fs.existsSync(path)) {
    return null;
  }
  try {
    return fs.openSync(path, 'r');
  } catch {
    return null;
  }
}

/** Reads the file from its start into `buffer`; the number of bytes read, or null. */
export function readFromStart(fd: number, buffer: Buffer): number | null {
  try {
    return fs.readSync(fd, buffer, 0, buffer.length, 0);
  } catch {
    return null;
  }
}

/** The command line, arguments joined by spaces; empty when the process shows none (a kernel thread, a zombie). */
export function readCommandLine(pid: number, buffer: Buffer): string {
  const fd = openIfExists(`/proc/${pid}/cmdline`);
  if (fd === null) {
    return '';
  }
  const bytes = readFromStart(fd, buffer);
  fs.closeSync(fd);
  return bytes === null ? '' : buffer.toString('utf8', 0, bytes).replace(/\0+$/, '').replace(/\0/g, ' ');
}

/** Kernels built without CONFIG_PROC_CHILDREN have no children files: see scanChildrenByParent. */
export function haveChildrenFiles(): boolean {
  return fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
}

/**
 * The children files of one process, kept open: one per thread, since a child belongs to
 * the thread that forked it.
 */
export class ChildrenFiles {
  private readonly fdByThread = new Map<number, number>();

  constructor(private readonly pid: number) {}

  /** Pids of the children of every thread; `numThreads` from the stat line just read. */
  read(numThreads: number, buffer: Buffer): number[] {
    // Listing the task folder costs about as much as a read: skip it for one thread.
    const threads = numThreads <= 1 ? [this.pid] : this.listThreads();
    for (const [tid, fd] of this.fdByThread) {
      if (!threads.includes(tid)) {
        fs.closeSync(fd);
        this.fdByThread.delete(tid);
      }
    }
    const children: number[] = [];
    for (const tid of threads) {
      let fd = this.fdByThread.get(tid) ?? null;
      if (fd === null) {
        fd = openIfExists(`/proc/${this.pid}/task/${tid}/children`);
        if (fd === null) {
          continue;
        }
        this.fdByThread.set(tid, fd);
      }
      // Most processes have no children: an empty file needs no text.
      const bytes = readFromStart(fd, buffer);
      if (bytes !== null && bytes > 0) {
        children.push(...parsePidList(buffer.toString('latin1', 0, bytes)));
      }
    }
    return children;
  }

  close(): void {
    this.fdByThread.forEach((fd) => fs.closeSync(fd));
    this.fdByThread.clear();
  }

  private listThreads(): number[] {
    try {
      return fs.readdirSync(`/proc/${this.pid}/task`).map(Number);
    } catch {
      return [this.pid];
    }
  }
}

/** Every process's children, from one pass over /proc/[0-9]*\/stat (where there are no children files). */
export function scanChildrenByParent(): Map<number, number[]> {
  const childrenByParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(`/proc/${entry}/stat`);
    } catch {
      continue; // exited since the listing
    }
    const stat = parseProcPidStat(bytes);
    if (stat !== null) {
      const siblings = childrenByParent.get(stat.ppid) ?? [];
      siblings.push(stat.pid);
      childrenByParent.set(stat.ppid, siblings);
    }
  }
  return childrenByParent;
}
