// CPU figures derived from a run record: each process's CPU over its life, the run's own
// share of each core apart from other programs', and the time the run's processes waited
// for a free core. Pure functions, shared by the command line's summary and the panel.

import { formatMs, formatPercent } from './format';
import type { CoreSample, ProcessEntry, LockEventList, RunRecord } from './runRecord';

export interface ProcessCpu {
  /** CPU time used (user + system); null when nothing measured it. */
  cpuMs: number | null;
  /**
   * Mean % of one core over its life: its CPU time over its lifetime where that is known
   * (so a process shorter than one sample still has one), else the mean of its samples.
   */
  meanCpu: number | null;
  /** The highest sample; null without samples. */
  maxCpu: number | null;
  /** Time its threads were ready to run but waited for a free core; null where not measured. */
  runQueueMs: number | null;
}

/** `nowMs`: the end of a process that has not ended (the run's end, or now while live). */
export function processCpu(process: ProcessEntry, nowMs: number): ProcessCpu {
  const lifetimeMs = (process.endMs ?? nowMs) - process.startMs;
  const samples = process.samples;
  let sum = 0;
  let max: number | null = null;
  let runQueueMs: number | null = null;
  for (const sample of samples) {
    sum += sample.cpu;
    max = max === null ? sample.cpu : Math.max(max, sample.cpu);
    if (sample.runQueueMs !== undefined) runQueueMs = (runQueueMs ?? 0) + sample.runQueueMs;
  }
  const meanCpu =
    process.cpuMs !== null && lifetimeMs > 0 ? (process.cpuMs / lifetimeMs) * 100 : samples.length > 0 ? sum / samples.length : null;
  return { cpuMs: process.cpuMs, meanCpu, maxCpu: max, runQueueMs };
}

/** The whole machine's busy % of each core in a sample, the run's own and the rest. */
export interface CoreShare {
  /** The run's own % of each core; null where the platform does not say which core. */
  run: number[] | null;
  /** Other programs' % of each core (busy minus the run's); null where not known. */
  others: number[] | null;
  /** The run's own CPU in % of one core; null in records made before it was measured. */
  runTotal: number | null;
  /** Other programs' CPU in % of one core; null where not known. */
  othersTotal: number | null;
}

export function coreShare(sample: CoreSample): CoreShare {
  const run = sample.run ?? null;
  const others = run === null ? null : sample.usage.map((busy, core) => Math.max(0, busy - (run[core] ?? 0)));
  const runTotal = sample.runTotal ?? (run === null ? null : sum(run));
  const othersTotal = runTotal === null ? null : Math.max(0, sum(sample.usage) - runTotal);
  return { run, others, runTotal, othersTotal };
}

/** Means over the run of each core's busy %, the run's share and other programs'. */
export interface CoreMeans {
  busy: number[];
  run: number[] | null;
  others: number[] | null;
  /** Cores' worth of the run's own work (1 = one core busy the whole run); null if not measured. */
  runCores: number | null;
  othersCores: number | null;
}

export function coreMeans(record: RunRecord<LockEventList>): CoreMeans {
  const samples = record.coreSamples;
  const cores = record.cores;
  const busy = new Array<number>(cores).fill(0);
  const run = new Array<number>(cores).fill(0);
  let perCoreRun = samples.length > 0;
  let runTotal = 0;
  let othersTotal = 0;
  let totalsKnown = samples.length > 0;
  for (const sample of samples) {
    const share = coreShare(sample);
    for (let core = 0; core < cores; core++) {
      busy[core] += sample.usage[core] ?? 0;
      run[core] += share.run?.[core] ?? 0;
    }
    perCoreRun &&= share.run !== null;
    totalsKnown &&= share.runTotal !== null;
    runTotal += share.runTotal ?? 0;
    othersTotal += share.othersTotal ?? 0;
  }
  const mean = (value: number): number => (samples.length > 0 ? value / samples.length : 0);
  const busyMeans = busy.map(mean);
  const runMeans = perCoreRun ? run.map(mean) : null;
  return {
    busy: busyMeans,
    run: runMeans,
    others: runMeans === null ? null : busyMeans.map((value, core) => Math.max(0, value - runMeans[core])),
    runCores: totalsKnown ? mean(runTotal) / 100 : null,
    othersCores: totalsKnown ? mean(othersTotal) / 100 : null,
  };
}

/** How long the run's processes were ready to run but found no free core. */
export interface CoreWait {
  totalMs: number;
  /** Processes that waited at least WAITED_MS. */
  processes: number;
  /** Other programs' mean load, in cores, over the samples in which the run waited (weighted by the wait). */
  othersCores: number | null;
}

/** A process counts as having waited for a core from this much. */
const WAITED_MS = 1;

/** Null where the run-queue wait was not measured (platforms other than Linux, older records). */
export function coreWait(record: RunRecord<LockEventList>): CoreWait | null {
  const waitAt = new Map<number, number>();
  let measured = false;
  let totalMs = 0;
  let processes = 0;
  for (const process of record.processes) {
    if (!process) continue;
    let waited = 0;
    for (const sample of process.samples) {
      if (sample.runQueueMs === undefined) continue;
      measured = true;
      waited += sample.runQueueMs;
      waitAt.set(sample.t, (waitAt.get(sample.t) ?? 0) + sample.runQueueMs);
    }
    totalMs += waited;
    if (waited >= WAITED_MS) processes++;
  }
  if (!measured) return null;
  let weighted = 0;
  let weights = 0;
  for (const sample of record.coreSamples) {
    const wait = waitAt.get(sample.t) ?? 0;
    const others = coreShare(sample).othersTotal;
    if (wait > 0 && others !== null) {
      weighted += (others / 100) * wait;
      weights += wait;
    }
  }
  return { totalMs, processes, othersCores: weights > 0 ? weighted / weights : null };
}

/** Other programs count as the reason for a wait from this many cores' worth of their load. */
const OTHERS_CAUSE_CORES = 0.25;

/**
 * The run-queue wait in plain words, or null when it is too small to mention (under 50 ms,
 * or under 5 % of the run's CPU time). E.g. "Your 2 processes waited 1.1 s in all for a
 * free core: other programs were using 0.9 cores meanwhile."
 */
export function coreWaitSentence(record: RunRecord<LockEventList>): string | null {
  const wait = coreWait(record);
  if (wait === null) return null;
  const cpuMs = record.processes.reduce((total, process) => total + (process?.cpuMs ?? 0), 0);
  if (wait.totalMs < 50 || wait.totalMs < 0.05 * cpuMs) return null;
  const who = wait.processes === 1 ? 'One of your processes' : `Your ${wait.processes} processes`;
  const why =
    wait.othersCores !== null && wait.othersCores >= OTHERS_CAUSE_CORES
      ? `other programs were using ${wait.othersCores.toFixed(1)} of the ${record.cores} cores meanwhile, and a process can only use a core that is free`
      : `the run had more threads ready to run than the ${record.cores} cores`;
  return `${who} waited ${formatMs(wait.totalMs)} in all for a free core (ready to run, but every core was busy): ${why}.`;
}

/** E.g. "93 % your run · 5 % other programs", or "93 % busy" where the split is not known. */
export function coreShareText(busy: number, run: number | null | undefined): string {
  if (run === null || run === undefined) return `${formatPercent(busy)} busy (all programs)`;
  return `${formatPercent(run)} your run · ${formatPercent(Math.max(0, busy - run))} other programs`;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value ?? 0;
  return total;
}
