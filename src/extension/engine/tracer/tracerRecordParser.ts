// Turns one line from the event socket into a typed tracer record, or null when the line
// is not one. The tracer is ours, but the socket is reachable by the learner's program,
// so nothing from it is trusted: every field a consumer reads is checked here, including
// every tuple of a batch. Times are moved onto the run's axis here too, by the offset of
// the clock the connection's process reads (tracerClocks.ts).
//
// The table of fields is typed from the records of tracerProtocol.ts: a field added to a
// record and not here, or checked as a kind its type cannot have, fails to compile.

import { PROCESS_ROLES } from '../../../shared/runRecord';
import {
  MESSAGE_OPS,
  TRACER_PROTOCOL_VERSION,
  type HelloRecord,
  type TracerRecord,
  type TracerRecordType,
} from './tracerProtocol';

type Kind =
  | 'number'
  | 'time'
  | 'time|null'
  | 'string'
  | 'boolean'
  | 'number|null'
  | 'string|null'
  | 'string?'
  | 'number?'
  | 'number[]'
  | { oneOf: readonly string[] }
  | { tuples: readonly Kind[] };

/**
 * The kinds a field of type V may be checked as: a number may be a time (moved onto the
 * run's axis), a string union is one of its strings, an optional field has an optional kind.
 */
type KindOf<V> = undefined extends V
  ? OptionalKindOf<Exclude<V, undefined>>
  : [V] extends [boolean]
    ? 'boolean'
    : [V] extends [number]
      ? 'number' | 'time'
      : [V] extends [number | null]
        ? 'number|null' | 'time|null'
        : [V] extends [string]
          ? string extends V
            ? 'string'
            : { oneOf: readonly V[] }
          : [V] extends [string | null]
            ? 'string|null'
            : [V] extends [readonly number[]]
              ? 'number[]'
              : V extends ReadonlyArray<infer Tuple extends readonly unknown[]>
                ? { tuples: { readonly [I in keyof Tuple]: KindOf<Tuple[I]> } }
                : never;

type OptionalKindOf<V> = [V] extends [string] ? 'string?' : [V] extends [number] ? 'number?' : never;

/** A kind for every field of record R but its type, optional ones included. */
type FieldsOf<R> = { readonly [F in Exclude<keyof R, 'type'>]-?: KindOf<R[F]> };

const ROLE = { oneOf: PROCESS_ROLES };
const TIME = 'time';
const TIME_OR_NULL = 'time|null';
const SITE = 'number|null';

const FIELDS: { [K in TracerRecordType]: FieldsOf<Extract<TracerRecord, { type: K }>> } = {
  'process-start': {
    pid: 'number', ppid: 'number', t: TIME, role: ROLE, name: 'string', startMethod: 'string?', cpuMs: 'number?', tid: 'number?', threadName: 'string?',
  },
  'process-role': { pid: 'number', role: ROLE, name: 'string' },
  'process-end': { pid: 'number', t: TIME, exitCode: 'number|null', cpuMs: 'number' },
  'child-start': { pid: 'number', ppid: 'number', t: TIME, command: 'string' },
  'child-exit': { pid: 'number', t: TIME, exitCode: 'number' },
  'start-method': { pid: 'number', method: 'string' },
  warning: { pid: 'number', message: 'string' },
  site: { pid: 'number', id: 'number', file: 'string', line: 'number', function: 'string' },
  'lock-new': { pid: 'number', lock: 'string', kind: 'string', api: 'string', internal: 'boolean', site: SITE, name: 'string?' },
  'lock-batch': { pid: 'number', events: { tuples: ['number', 'string', TIME, TIME_OR_NULL, TIME_OR_NULL, SITE] } },
  'lock-release': { pid: 'number', events: { tuples: ['number', 'string', TIME, SITE] } },
  'lock-open': {
    pid: 'number', tid: 'number', lock: 'string', requestMs: TIME, acquiredMs: TIME_OR_NULL, site: SITE,
    held: { tuples: ['string', TIME, SITE] },
  },
  'lock-stats': {
    pid: 'number', lock: 'string', sinceMs: TIME, acquisitions: 'number', totalWaitMs: 'number', maxWaitMs: 'number',
    totalHoldMs: 'number', bucketsMs: 'number[]', waitHistogram: 'number[]', holdHistogram: 'number[]',
  },
  'channel-new': { pid: 'number', channel: 'string', kind: { oneOf: ['queue', 'pipe'] }, api: 'string', internal: 'boolean', site: SITE, name: 'string?' },
  'ipc-batch': {
    pid: 'number',
    events: { tuples: [{ oneOf: MESSAGE_OPS }, 'string', 'number', TIME, 'number', 'number', SITE] },
  },
  'task-batch': {
    pid: 'number',
    events: { tuples: ['string', 'string', 'number', TIME, TIME, 'boolean', SITE, 'string|null'] },
  },
  'task-submit': { pid: 'number', events: { tuples: ['string', TIME, SITE] } },
  'task-start': { pid: 'number', events: { tuples: ['string', 'string', 'string', 'number', TIME, 'string|null', 'string'] } },
  'thread-batch': { pid: 'number', events: { tuples: ['number', 'string', TIME, TIME_OR_NULL, 'number|null'] } },
  'scale-report': { pid: 'number', t: TIME, report: 'string' },
};

const HELLO_FIELDS: FieldsOf<HelloRecord> = { v: 'number', token: 'string', pid: 'number', t: 'number' };

/**
 * What a connection's first line says: a hello of this run (`t` is the sender's clock, left
 * as it is), one of this run from a tracer of another protocol version (`version` null when
 * the hello has none: tracers older than versions), or nothing the host accepts.
 */
export type HelloVerdict =
  | { kind: 'hello'; hello: HelloRecord }
  | { kind: 'other-version'; version: number | null }
  | { kind: 'refused' };

export function parseHello(line: string, token: string): HelloVerdict {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'refused' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'refused' };
  const hello = value as Record<string, unknown>;
  if (hello.type !== 'hello' || hello.token !== token) return { kind: 'refused' };
  // The version first: another version's hello may lack fields or mean others.
  if (hello.v !== TRACER_PROTOCOL_VERSION) return { kind: 'other-version', version: isNumber(hello.v) ? hello.v : null };
  return hasFields(hello, HELLO_FIELDS) ? { kind: 'hello', hello: hello as unknown as HelloRecord } : { kind: 'refused' };
}

export function parseTracerLine(line: string): TracerRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  return recordOf(value, 0);
}

/**
 * The records of one line: a record, or an array of the records of one flush (a pool
 * worker flushes a few small records twice per task: one line, one parse). `malformed`
 * counts what is not a record, the whole line when it is not JSON. `offsetMs` is taken
 * from every time: the offset of the sender's clock from the run's.
 */
export function parseTracerRecords(line: string, offsetMs = 0): { records: TracerRecord[]; malformed: number } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { records: [], malformed: 1 };
  }
  const values = Array.isArray(value) ? value : [value];
  const records: TracerRecord[] = [];
  for (const item of values) {
    const record = recordOf(item, offsetMs);
    if (record) records.push(record);
  }
  return { records, malformed: values.length - records.length + (values.length === 0 ? 1 : 0) };
}

function recordOf(value: unknown, offsetMs: number): TracerRecord | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(FIELDS, type)) return null;
  const fields: Readonly<Record<string, Kind>> = FIELDS[type as TracerRecordType];
  if (!hasFields(record, fields)) return null;
  if (offsetMs !== 0) {
    for (const [name, kind] of Object.entries(fields)) record[name] = shifted(record[name], kind, offsetMs);
  }
  return record as unknown as TracerRecord;
}

function hasFields(record: Record<string, unknown>, fields: Readonly<Record<string, Kind>>): boolean {
  return Object.entries(fields).every(([name, kind]) => hasKind(record[name], kind));
}

/** A checked value with its times moved back by `offsetMs`, kept to whole microseconds. */
function shifted(value: unknown, kind: Kind, offsetMs: number): unknown {
  if (typeof kind === 'object') {
    if (!('tuples' in kind) || !kind.tuples.some(isTimeKind)) return value;
    for (const tuple of value as unknown[][]) {
      kind.tuples.forEach((inner, i) => (tuple[i] = shifted(tuple[i], inner, offsetMs)));
    }
    return value;
  }
  if (!isTimeKind(kind) || value === null) return value;
  return Math.round(((value as number) - offsetMs) * 1000) / 1000;
}

function isTimeKind(kind: Kind): boolean {
  return kind === 'time' || kind === 'time|null';
}

function hasKind(value: unknown, kind: Kind): boolean {
  if (typeof kind === 'object') {
    if ('oneOf' in kind) return typeof value === 'string' && kind.oneOf.includes(value);
    return Array.isArray(value) && value.every((tuple) => isTuple(tuple, kind.tuples));
  }
  switch (kind) {
    case 'number':
    case 'time':
      return isNumber(value);
    case 'number|null':
    case 'time|null':
      return value === null || isNumber(value);
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'string?':
      return value === undefined || typeof value === 'string';
    case 'number?':
      return value === undefined || isNumber(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'number[]':
      return Array.isArray(value) && value.every(isNumber);
  }
}

function isTuple(value: unknown, kinds: readonly Kind[]): boolean {
  return Array.isArray(value) && value.length === kinds.length && kinds.every((kind, i) => hasKind(value[i], kind));
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
