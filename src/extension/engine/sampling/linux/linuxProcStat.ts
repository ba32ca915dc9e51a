// Parsers for the Linux /proc text the sampler reads. Pure functions, so they are tested
// on fixed text; the reading lives in linuxProcFiles.ts and linuxProcessTable.ts.

/** What the sampler needs from one /proc/PID/stat line (see proc(5) for the field numbers). */
export interface ProcPidStat {
  pid: number;
  /** Field 3: R, S, D, Z (zombie), X (dead), T, t, I, ... */
  state: string;
  /** Field 4. */
  ppid: number;
  /** Fields 14 + 15: CPU time in user and kernel mode, in clock ticks (see linuxAuxv.ts). */
  cpuTicks: number;
  /** Field 20. */
  numThreads: number;
  /** Field 22: clock ticks after boot. With the pid it names one process for good. */
  startTime: number;
  /** Field 24: resident set size, in pages. */
  rssPages: number;
  /** Field 39: the logical CPU the process last ran on. */
  processor: number;
  /**
   * Fields 48 and 49 (Linux 3.5+): where the command line lies in the process's memory;
   * null when the kernel does not write them. exec gives a new address space, so these
   * change when the command does.
   */
  argsStart: number | null;
  argsEnd: number | null;
}

/** Cumulative time of one logical CPU from /proc/stat, in clock ticks. */
export interface CpuTimes {
  busy: number;
  total: number;
}

// Field numbers of /proc/PID/stat, as proc(5) counts them.
const PPID = 4;
const UTIME = 14;
const STIME = 15;
const NUM_THREADS = 20;
const START_TIME = 22;
const RSS = 24;
const PROCESSOR = 39;
const ARG_START = 48;
const ARG_END = 49;

/** 1 for the fields parseProcPidStatInto reads, by field number. */
const IS_READ = new Uint8Array(ARG_END + 1);
[PPID, UTIME, STIME, NUM_THREADS, START_TIME, RSS, PROCESSOR, ARG_START, ARG_END].forEach((field) => (IS_READ[field] = 1));

const SPACE = 0x20;
const NEWLINE = 0x0a;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export function emptyProcPidStat(): ProcPidStat {
  return { pid: 0, state: '', ppid: 0, cpuTicks: 0, numThreads: 0, startTime: 0, rssPages: 0, processor: 0, argsStart: null, argsEnd: null };
}

/** Parses one /proc/PID/stat line, as read into `bytes`, into a new record; null when it is not one. */
export function parseProcPidStat(bytes: Uint8Array, length = bytes.length): ProcPidStat | null {
  const stat = emptyProcPidStat();
  return parseProcPidStatInto(stat, bytes, length) ? stat : null;
}

/**
 * Parses one /proc/PID/stat line, as read into `bytes`, into `into`; false when it is not
 * one (a truncated read, say), and `into` is then left half written.
 * The sampler calls it for every process on every tick, 100 ms apart, when little of what
 * it touches is still in the CPU's caches: so it goes over the fields once, with arithmetic
 * only on those it keeps, into a record that lives as long as the process, and makes no
 * string, array or object.
 * The comm may hold spaces and ')' (a program can name itself "a) b"), so the fields are
 * counted from the LAST ')', which the kernel always writes right after the comm.
 */
export function parseProcPidStatInto(into: ProcPidStat, bytes: Uint8Array, length: number): boolean {
  let pid = 0;
  let pidEnd = 0;
  for (; pidEnd < length && bytes[pidEnd] >= DIGIT_0 && bytes[pidEnd] <= DIGIT_9; pidEnd++) {
    pid = pid * 10 + (bytes[pidEnd] - DIGIT_0);
  }
  let close = length - 1;
  while (close > pidEnd && bytes[close] !== CLOSE_PAREN) {
    close--;
  }
  // "PID (COMM) S " and more.
  const framed = pidEnd > 0 && bytes[pidEnd] === SPACE && bytes[pidEnd + 1] === OPEN_PAREN && close > pidEnd + 1;
  if (!framed || close + 4 >= length || bytes[close + 1] !== SPACE || bytes[close + 3] !== SPACE) {
    return false;
  }
  into.pid = pid;
  into.state = String.fromCharCode(bytes[close + 2]);
  into.argsStart = null;
  into.argsEnd = null;
  let argsStart = NaN;
  let field = PPID;
  for (let at = close + 4; field <= ARG_END; field++) {
    if (IS_READ[field] === 1) {
      // A field read must be all digits: NaN stands for one that is not (nice, say, may be
      // negative), and shows in the sum checked at the end.
      const start = at;
      let value = 0;
      for (; at < length && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at++) {
        value = value * 10 + (bytes[at] - DIGIT_0);
      }
      const number = at > start && (at === length || bytes[at] === SPACE || bytes[at] === NEWLINE) ? value : NaN;
      switch (field) {
        case PPID: into.ppid = number; break;
        case UTIME: into.cpuTicks = number; break;
        case STIME: into.cpuTicks += number; break;
        case NUM_THREADS: into.numThreads = number; break;
        case START_TIME: into.startTime = number; break;
        case RSS: into.rssPages = number; break;
        case PROCESSOR: into.processor = number; break;
        case ARG_START: argsStart = number; break;
        case ARG_END:
          if (!Number.isNaN(argsStart + number)) {
            into.argsStart = argsStart;
            into.argsEnd = number;
          }
          break;
        default: break;
      }
    }
    // Most fields are skipped with no arithmetic: the pass costs about a byte a cycle.
    while (at < length && bytes[at] !== SPACE && bytes[at] !== NEWLINE) {
      at++;
    }
    // The last field, ended by the newline or (when the read stops short of it) by the data.
    if (at >= length || bytes[at] === NEWLINE) {
      break;
    }
    at++;
  }
  const sum = into.ppid + into.cpuTicks + into.numThreads + into.startTime + into.rssPages + into.processor;
  return field >= PROCESSOR && !Number.isNaN(sum);
}

/** A thread's scheduler times from /proc/PID/task/TID/schedstat, in nanoseconds. */
export interface SchedTimes {
  /** Time it ran on a CPU. Exact, where /proc/PID/stat counts whole clock ticks. */
  runtimeNs: number;
  /** Time it was ready to run but waited on a run queue for a free CPU. */
  runDelayNs: number;
}

/**
 * Parses a schedstat line ("RUNTIME RUN_DELAY TIMESLICES") into `into`; false when the text
 * is not one. Nanosecond counters pass 2^53 only after about a hundred days of CPU time,
 * and lose no more than a few nanoseconds beyond.
 */
export function parseSchedstatInto(into: SchedTimes, bytes: Uint8Array, length: number): boolean {
  let at = 0;
  let runtime = 0;
  const runtimeStart = at;
  for (; at < length && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at++) {
    runtime = runtime * 10 + (bytes[at] - DIGIT_0);
  }
  if (at === runtimeStart || bytes[at] !== SPACE) {
    return false;
  }
  at++;
  let delay = 0;
  const delayStart = at;
  for (; at < length && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at++) {
    delay = delay * 10 + (bytes[at] - DIGIT_0);
  }
  if (at === delayStart || (at < length && bytes[at] !== SPACE && bytes[at] !== NEWLINE)) {
    return false;
  }
  into.runtimeNs = runtime;
  into.runDelayNs = delay;
  return true;
}

/** The comm (field 2) of a /proc/PID/stat line, without its parentheses; null when there is none. */
export function parseComm(bytes: Buffer, length = bytes.length): string | null {
  const open = bytes.indexOf(OPEN_PAREN);
  const close = length > 0 ? bytes.lastIndexOf(CLOSE_PAREN, length - 1) : -1;
  return open >= 0 && close > open ? bytes.toString('utf8', open + 1, close) : null;
}

/** The decimal number in bytes[start, end); NaN when empty or not all digits. */
function digitsAt(bytes: Buffer, start: number, end: number): number {
  if (end <= start) {
    return NaN;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte < DIGIT_0 || byte > DIGIT_9) {
      return NaN;
    }
    value = value * 10 + (byte - DIGIT_0);
  }
  return value;
}

/** True for a process that has exited: a zombie waiting for its parent, or one being reaped. */
export function isExitedState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/**
 * Per-CPU times from /proc/stat, as read into `bytes`, indexed by CPU number. A CPU the
 * kernel does not list (it is offline) is a hole in the array, so the indices stay the CPU
 * numbers that field 39 of /proc/PID/stat reports. A line cut off by the end of the read is
 * left out. Runs once a tick, so seldom that it stays cold: one plain pass, no helpers.
 */
export function parseProcStatCpuTimes(bytes: Uint8Array, length = bytes.length): Array<CpuTimes | undefined> {
  const cpus: Array<CpuTimes | undefined> = [];
  // The cpu lines come first; the rest (interrupt counts, often kilobytes) is not looked at.
  let at = 0;
  while (at + 3 < length && bytes[at] === 0x63 && bytes[at + 1] === 0x70 && bytes[at + 2] === 0x75) {
    at += 3; // "cpu"; then the CPU's number, none on the line that sums up all CPUs
    let cpu = -1;
    for (; at < length && bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9; at++) {
      cpu = (cpu < 0 ? 0 : cpu * 10) + (bytes[at] - DIGIT_0);
    }
    // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is
    // counted in user and nice already, so only the first eight add up to the total.
    let counters = 0;
    let total = 0;
    let idle = 0;
    let value = 0;
    let inNumber = false;
    let foreign = false;
    for (; at < length; at++) {
      const byte = bytes[at];
      if (byte >= DIGIT_0 && byte <= DIGIT_9) {
        value = value * 10 + (byte - DIGIT_0);
        inNumber = true;
        continue;
      }
      if (inNumber) {
        total += counters < 8 ? value : 0;
        idle += counters === 3 || counters === 4 ? value : 0;
        counters++;
        value = 0;
        inNumber = false;
      }
      if (byte === NEWLINE) {
        break;
      }
      foreign ||= byte !== SPACE;
    }
    // Four counters at least (idle is the fourth), and the whole line read.
    if (cpu >= 0 && !foreign && counters >= 4 && at < length) {
      cpus[cpu] = { busy: total - idle, total };
    }
    at++;
  }
  return cpus;
}

/**
 * The last pid the kernel handed out in this pid namespace: the fifth field of
 * /proc/loadavg ("0.20 0.18 0.12 1/80 11206"). Null when the text is not that.
 */
export function parseLastPid(bytes: Buffer, length = bytes.length): number | null {
  let end = length;
  while (end > 0 && (bytes[end - 1] === NEWLINE || bytes[end - 1] === SPACE)) {
    end--;
  }
  let start = end;
  while (start > 0 && bytes[start - 1] !== SPACE) {
    start--;
  }
  const pid = digitsAt(bytes, start, end);
  return start > 0 && Number.isInteger(pid) ? pid : null;
}

/** The pids of a /proc/PID/task/TID/children file: numbers separated by spaces. */
export function parsePidList(text: string): number[] {
  const pids: number[] = [];
  for (const word of text.split(/\s+/)) {
    const pid = Number(word);
    if (word !== '' && Number.isInteger(pid) && pid > 0) {
      pids.push(pid);
    }
  }
  return pids;
}

/** The process key: a pid reused by a later process gets a different start time. */
export function processKey(pid: number, startTime: number | string): string {
  return `${pid}@${startTime}`;
}
