// What the Python harness (runtimes/python/parallel_lab_scale) reports after mapping the
// function in one mode, on its run's event channel (a `scale-report` record), checked field
// by field: it comes from another process, and a wrong shape must become a sentence, not a
// crash further on.

import type { ScalingModeName } from '../../../shared/scaling';
import type { ScaleReportRecord } from '../tracer/tracerProtocol';

/** Where a mode's results first differed from the sequential run's. */
export interface ResultDifference {
  index: number;
  input: string | null;
  expected: string;
  actual: string;
}

export interface MappedReport {
  ok: true;
  mode: ScalingModeName;
  workers: number;
  items: number;
  wallMs: number;
  /** On the run's time axis, like the record (see harnessReportOf). */
  mapStartMs: number;
  /** Process pools: when the pool was created, on the run's time axis. */
  poolCreatedMs?: number;
  chunksize?: number;
  /** Every mode but the sequential one: null when its results equal the sequential run's. */
  difference?: ResultDifference | null;
  /** The sequential run: the module's global variables the function changed while it ran. */
  changedGlobals?: string[];
  /** Sequential and thread runs: the harness process's CPU time during the map. */
  cpuMs?: number;
  /** The sequential run, where the platform says: the time its thread waited for a free core during the map. */
  coreWaitMs?: number;
}

/** A mistake of the learner's that the harness recognised: `kind` plus what the sentence needs. */
export interface MistakeReport {
  ok: false;
  error: { kind: string } & Record<string, unknown>;
}

export type HarnessReport = MappedReport | MistakeReport;

/**
 * The report a `scale-report` record carries, its times on the run's axis. They are readings
 * of the harness's own clock, and so is `sentMs`, taken as it sent the record whose `t` the
 * host has placed on the run's axis with every other tracer time: the difference moves them
 * there too, whatever the tracer's clock is on this platform.
 */
export function harnessReportOf(record: ScaleReportRecord): HarnessReport | null {
  const report = parseHarnessReport(record.report);
  if (report?.ok !== true) return report;
  const { sentMs, ...fields } = report;
  const shift = record.t - sentMs;
  return {
    ...fields,
    mapStartMs: report.mapStartMs + shift,
    poolCreatedMs: report.poolCreatedMs === undefined ? undefined : report.poolCreatedMs + shift,
  };
}

/** The harness's JSON document as sent: a mapped report's times still on the harness's clock. */
function parseHarnessReport(text: string): MistakeReport | (MappedReport & { sentMs: number }) | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (value.ok === false) {
    return isObject(value.error) && typeof value.error.kind === 'string' ? { ok: false, error: { ...value.error, kind: value.error.kind } } : null;
  }
  const { mode, workers, items, wallMs, mapStartMs, sentMs } = value;
  if (mode !== 'sequential' && mode !== 'threads' && mode !== 'processes') return null;
  if (![workers, items, wallMs, mapStartMs, sentMs].every(isFiniteNumber)) return null;
  return {
    ok: true,
    mode,
    workers: workers as number,
    items: items as number,
    wallMs: wallMs as number,
    mapStartMs: mapStartMs as number,
    sentMs: sentMs as number,
    poolCreatedMs: isFiniteNumber(value.poolCreatedMs) ? value.poolCreatedMs : undefined,
    chunksize: isFiniteNumber(value.chunksize) ? value.chunksize : undefined,
    difference: parseDifference(value.difference),
    changedGlobals: Array.isArray(value.changedGlobals) ? value.changedGlobals.filter((name): name is string => typeof name === 'string') : undefined,
    cpuMs: isFiniteNumber(value.cpuMs) ? value.cpuMs : undefined,
    coreWaitMs: isFiniteNumber(value.coreWaitMs) ? value.coreWaitMs : undefined,
  };
}

function parseDifference(value: unknown): ResultDifference | null | undefined {
  if (value === null) return null;
  if (!isObject(value) || !isFiniteNumber(value.index)) return undefined;
  return {
    index: value.index,
    input: typeof value.input === 'string' ? value.input : null,
    expected: String(value.expected),
    actual: String(value.actual),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
