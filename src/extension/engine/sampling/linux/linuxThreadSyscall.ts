// What a thread is blocked in, from /proc/PID/task/TID/syscall (proc(5)): "running" while the
// thread is runnable (on a core or queued for one), else the number of the system call it
// sleeps in and its six arguments in hex, then its stack and program counters; "-1 SP PC"
// when it sleeps in the kernel outside a system call. The stove reader (stoveSampler.ts) reads
// it to tell a thread waiting for the GIL, which sleeps in futex() on the GIL's words
// (gilWaits.ts), from one waiting on a lock, I/O or a sleep.
//
// Reading the file needs the right to ptrace the thread (PTRACE_MODE_ATTACH): the same user,
// and under Yama's ptrace_scope 1 an ancestor, which the host is of the run's processes.

/** What one read of the syscall file says. Written in place by parseThreadSyscallInto. */
export interface ThreadSyscall {
  /** True while the thread is runnable: then the other fields mean nothing. */
  running: boolean;
  /** The system call it sleeps in; -1 outside one. */
  nr: number;
  /**
   * Its first argument (for futex: the address of the word it waits on); NaN when the value
   * does not fit a double exactly (above 2^53, where no user-space address lies on today's
   * kernels unless a program asks for one).
   */
  arg0: number;
  /** Its second argument (for futex: the operation); NaN as for arg0. */
  arg1: number;
}

export function emptyThreadSyscall(): ThreadSyscall {
  return { running: false, nr: -1, arg0: NaN, arg1: NaN };
}

/**
 * futex()'s system call numbers on Node's architectures (from the kernel's unistd tables);
 * 32-bit ones also have futex_time64, which glibc uses where the kernel has it. Empty on an
 * architecture not listed: then no wait is read as a futex wait, and no GIL is found.
 */
const FUTEX_SYSCALLS: Readonly<Record<string, readonly number[]>> = {
  x64: [202],
  arm64: [98],
  riscv64: [98],
  loong64: [98],
  ppc64: [221],
  s390x: [238],
  ia32: [240, 422],
  arm: [240, 422],
};

export function futexSyscalls(arch: string = process.arch): readonly number[] {
  return FUTEX_SYSCALLS[arch] ?? [];
}

// futex() operations (linux/futex.h): the command is the low bits, with flags above.
const FUTEX_CMD_MASK = 0x7f; // without FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256)
const FUTEX_WAIT = 0;
const FUTEX_WAIT_BITSET = 9;

/** True when `op` makes futex() wait on the word at its address (the two commands glibc waits with). */
export function isFutexWait(op: number): boolean {
  const command = op & FUTEX_CMD_MASK;
  return command === FUTEX_WAIT || command === FUTEX_WAIT_BITSET;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_R = 0x72;
/** 13 hex digits hold 52 bits: every such value is exact in a double. */
const MAX_EXACT_HEX_DIGITS = 13;

/**
 * Parses a syscall line, as read into `bytes`, into `into`; false when it is not one (then
 * `into` is left half written). Called for every thread of a contended process every few
 * milliseconds, so it makes no string, and reads only the fields it keeps.
 */
export function parseThreadSyscallInto(into: ThreadSyscall, bytes: Uint8Array, length: number): boolean {
  if (length === 0) {
    return false;
  }
  if (bytes[0] === LETTER_R) {
    into.running = true;
    return true;
  }
  into.running = false;
  let at = 0;
  const negative = bytes[0] === MINUS;
  if (negative) {
    at++;
  }
  const start = at;
  let nr = 0;
  for (; at < length && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at++) {
    nr = nr * 10 + (bytes[at] - DIGIT_0);
  }
  if (at === start || (at < length && bytes[at] !== SPACE && bytes[at] !== NEWLINE)) {
    return false;
  }
  into.nr = negative ? -nr : nr;
  into.arg0 = NaN;
  into.arg1 = NaN;
  if (negative) {
    return true; // "-1 SP PC": no arguments
  }
  at = hexInto(into, 0, bytes, at + 1, length);
  if (at < 0) {
    return false;
  }
  return hexInto(into, 1, bytes, at + 1, length) >= 0;
}

/** Reads "0x…" at `at` into argument `which`; the offset just past it, or -1 when there is none. */
function hexInto(into: ThreadSyscall, which: 0 | 1, bytes: Uint8Array, at: number, length: number): number {
  if (at + 2 >= length || bytes[at] !== DIGIT_0 || (bytes[at + 1] | 0x20) !== 0x78) {
    return -1;
  }
  at += 2;
  const start = at;
  let value = 0;
  for (; at < length; at++) {
    const digit = hexDigit(bytes[at]);
    if (digit < 0) {
      break;
    }
    value = value * 16 + digit;
  }
  if (at === start || (at < length && bytes[at] !== SPACE && bytes[at] !== NEWLINE)) {
    return -1;
  }
  const exact = at - start <= MAX_EXACT_HEX_DIGITS ? value : NaN;
  if (which === 0) {
    into.arg0 = exact;
  } else {
    into.arg1 = exact;
  }
  return at;
}

function hexDigit(byte: number): number {
  if (byte >= DIGIT_0 && byte <= DIGIT_9) {
    return byte - DIGIT_0;
  }
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
