// Turns one line from the event socket into a typed tracer record, or null when the line
// is not one. The tracer is ours, but the socket is reachable by the learner's program,
// so nothing from it is trusted: every field a consumer reads is checked here.

import type { TracerRecord, TracerRecordType } from './tracerProtocol';

type FieldKind = 'number' | 'string' | 'number|null' | 'string?';

const REQUIRED_FIELDS: { [K in TracerRecordType]: Record<string, FieldKind> } = {
  'process-start': { pid: 'number', ppid: 'number', t: 'number', role: 'string', name: 'string', startMethod: 'string?' },
  'process-role': { pid: 'number', role: 'string', name: 'string' },
  'process-end': { pid: 'number', t: 'number', exitCode: 'number|null', cpuMs: 'number' },
  'child-exit': { pid: 'number', t: 'number', exitCode: 'number' },
  'start-method': { pid: 'number', method: 'string' },
  warning: { pid: 'number', message: 'string' },
};

const ROLES = new Set(['main', 'process', 'pool-worker', 'other']);

export function parseTracerLine(line: string): TracerRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(REQUIRED_FIELDS, type)) return null;
  const fields = REQUIRED_FIELDS[type as TracerRecordType];
  for (const [name, kind] of Object.entries(fields)) {
    if (!hasKind(record[name], kind)) return null;
  }
  if ('role' in fields && !ROLES.has(record.role as string)) return null;
  return record as unknown as TracerRecord;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === undefined || typeof value === 'string';
  }
}
