// Parsers for the Linux /proc text the sampler reads. Pure functions, so they are tested
// on fixed strings; the reading (and its caching) lives in linuxProcReader.ts.

/** What the sampler needs from one /proc/PID/stat line (see proc(5) for the field numbers). */
export interface ProcPidStat {
  pid: number;
  /** Field 2, without the parentheses. The kernel truncates it to 15 bytes. */
  comm: string;
  /** Field 3: R, S, D, Z (zombie), X (dead), T, t, I, ... */
  state: string;
  /** Field 4. */
  ppid: number;
  /** Field 20. */
  numThreads: number;
  /** Field 22: clock ticks after boot. With the pid it names one process for good. */
  startTime: number;
  /** Field 39: the logical CPU the process last ran on. */
  processor: number;
  /**
   * Fields 48 and 49 (Linux 3.5+): where the command line lies in the process's memory,
   * as "start-end"; null when the kernel does not write them. exec gives a new address
   * space, so these change when the command does.
   */
  argsAddress: string | null;
}

/** Cumulative time of one logical CPU from /proc/stat, in clock ticks. */
export interface CpuTimes {
  busy: number;
  total: number;
}

// Indices into the fields that follow the ") " closing the comm: field N is at N - 3.
const STATE = 0;
const PPID = 1;
const NUM_THREADS = 17;
const START_TIME = 19;
const PROCESSOR = 36;
const ARG_START = 45;
const ARG_END = 46;

/**
 * Parses one /proc/PID/stat line; null when it is not one (a truncated read, say).
 * The comm may hold spaces and ')' (a program can name itself "a) b"), so the fields are
 * split after the LAST ')', which the kernel always writes right after the comm.
 */
export function parseProcPidStat(text: string): ProcPidStat | null {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) {
    return null;
  }
  const fields = text.slice(close + 2).trimEnd().split(' ');
  if (fields.length <= PROCESSOR) {
    return null;
  }
  const stat: ProcPidStat = {
    pid: Number(text.slice(0, open)),
    comm: text.slice(open + 2, close),
    state: fields[STATE],
    ppid: Number(fields[PPID]),
    numThreads: Number(fields[NUM_THREADS]),
    startTime: Number(fields[START_TIME]),
    processor: Number(fields[PROCESSOR]),
    argsAddress: fields.length > ARG_END ? `${fields[ARG_START]}-${fields[ARG_END]}` : null,
  };
  const numbers = [stat.pid, stat.ppid, stat.numThreads, stat.startTime, stat.processor];
  return numbers.every(Number.isInteger) ? stat : null;
}

/** True for a process that has exited: a zombie waiting for its parent, or one being reaped. */
export function isExitedState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/**
 * Per-CPU times from /proc/stat, indexed by CPU number. A CPU the kernel does not list (it
 * is offline) is a hole in the array, so the indices stay the CPU numbers that field 39 of
 * /proc/PID/stat reports.
 */
export function parseProcStatCpuTimes(text: string): Array<CpuTimes | undefined> {
  const cpus: Array<CpuTimes | undefined> = [];
  for (const line of text.split('\n')) {
    // "cpu " (no number) is the sum over all CPUs: skipped.
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) {
      continue;
    }
    // user nice system idle iowait irq softirq steal [guest guest_nice]. Guest time is
    // already counted in user and nice, so only the first eight add up to the total.
    const ticks = match[2].trim().split(/\s+/).slice(0, 8).map(Number);
    if (ticks.length < 4 || !ticks.every(Number.isFinite)) {
      continue;
    }
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = ticks[3] + (ticks[4] ?? 0);
    cpus[Number(match[1])] = { busy: total - idle, total };
  }
  return cpus;
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
