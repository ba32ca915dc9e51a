// Parsers for the Linux /proc text the sampler reads. Pure functions, so they are tested
// on fixed text; the reading (and its caching) lives in linuxProcReader.ts.

/** What the sampler needs from one /proc/PID/stat line (see proc(5) for the field numbers). */
export interface ProcPidStat {
  pid: number;
  /** Field 2, without the parentheses. The kernel truncates it to 15 bytes. */
  comm: string;
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

// Indices into the fields that follow the ") " closing the comm: field N is at N - 3.
const STATE = 0;
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const NUM_THREADS = 17;
const START_TIME = 19;
const RSS = 21;
const PROCESSOR = 36;
const ARG_START = 45;
const ARG_END = 46;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Where each field of the line being parsed starts, and (one more) where the last ends. */
const fieldStarts = new Int32Array(ARG_END + 2);

/**
 * Parses one /proc/PID/stat line, as read into `bytes`; null when it is not one (a
 * truncated read, say). It runs for every process on every tick, so it reads the digits of
 * the fields it needs straight from the bytes, without a string per field.
 * The comm may hold spaces and ')' (a program can name itself "a) b"), so the fields are
 * split after the LAST ')', which the kernel always writes right after the comm.
 */
export function parseProcPidStat(bytes: Buffer, length = bytes.length): ProcPidStat | null {
  // The pid is digits only: the first space is the one before the comm's '('.
  const open = bytes.indexOf(SPACE);
  const close = length > 0 ? bytes.lastIndexOf(CLOSE_PAREN, length - 1) : -1;
  if (open < 1 || open + 1 >= length || bytes[open + 1] !== OPEN_PAREN || close < open) {
    return null;
  }
  let fields = 0;
  fieldStarts[0] = close + 2;
  for (let i = close + 2; i < length && fields <= ARG_END; i++) {
    if (bytes[i] === SPACE || bytes[i] === NEWLINE) {
      fieldStarts[++fields] = i + 1;
    }
  }
  if (fields <= ARG_END && length > fieldStarts[fields]) {
    fieldStarts[++fields] = length + 1; // the last field, with no newline after it
  }
  if (fields <= PROCESSOR) {
    return null;
  }
  const field = (index: number): number => digitsAt(bytes, fieldStarts[index], fieldStarts[index + 1] - 1);
  const hasArgs = fields > ARG_END;
  const stat: ProcPidStat = {
    pid: digitsAt(bytes, 0, open),
    comm: bytes.toString('utf8', open + 2, close),
    state: String.fromCharCode(bytes[fieldStarts[STATE]]),
    ppid: field(PPID),
    cpuTicks: field(UTIME) + field(STIME),
    numThreads: field(NUM_THREADS),
    startTime: field(START_TIME),
    rssPages: field(RSS),
    processor: field(PROCESSOR),
    argsStart: hasArgs ? field(ARG_START) : null,
    argsEnd: hasArgs ? field(ARG_END) : null,
  };
  // NaN marks a field that was not all digits; NaN in any makes the sum NaN.
  const sum = stat.pid + stat.ppid + stat.cpuTicks + stat.numThreads + stat.startTime + stat.rssPages + stat.processor;
  return Number.isNaN(sum) ? null : stat;
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
 * numbers that field 39 of /proc/PID/stat reports. Parsed from the bytes, as the stat
 * lines are: it runs on every tick.
 */
export function parseProcStatCpuTimes(bytes: Buffer, length = bytes.length): Array<CpuTimes | undefined> {
  const cpus: Array<CpuTimes | undefined> = [];
  // The cpu lines come first; the rest (interrupt counts, often kilobytes) is not looked at.
  for (let line = 0; startsWithCpu(bytes, line, length); ) {
    let end = line;
    while (end < length && bytes[end] !== NEWLINE) {
      end++;
    }
    // "cpu " (no number) is the sum over all CPUs: skipped.
    const cpu = numberAt(bytes, line + 3, end);
    if (cpu.value !== null && bytes[cpu.next] === SPACE) {
      const times = cpuTimes(bytes, cpu.next, end);
      if (times !== null) {
        cpus[cpu.value] = times;
      }
    }
    line = end + 1;
  }
  return cpus;
}

function startsWithCpu(bytes: Buffer, at: number, length: number): boolean {
  return at + 3 < length && bytes[at] === 0x63 && bytes[at + 1] === 0x70 && bytes[at + 2] === 0x75; // "cpu"
}

/**
 * user nice system idle iowait irq softirq steal [guest guest_nice], from `start` (a space)
 * to the end of the line. Guest time is already counted in user and nice, so only the
 * first eight add up to the total. Null when fewer than four are numbers.
 */
function cpuTimes(bytes: Buffer, start: number, end: number): CpuTimes | null {
  const ticks: number[] = [];
  for (let at = start; at < end && ticks.length < 8; ) {
    if (bytes[at] === SPACE) {
      at++;
      continue;
    }
    const { value, next } = numberAt(bytes, at, end);
    if (value === null || (next < end && bytes[next] !== SPACE)) {
      return null;
    }
    ticks.push(value);
    at = next;
  }
  if (ticks.length < 4) {
    return null;
  }
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = ticks[3] + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** The digits from `start` on (before `end`), and where they stop; null when there are none. */
function numberAt(bytes: Buffer, start: number, end: number): { value: number | null; next: number } {
  let next = start;
  while (next < end && bytes[next] >= DIGIT_0 && bytes[next] <= DIGIT_9) {
    next++;
  }
  return { value: next > start ? digitsAt(bytes, start, next) : null, next };
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
