// Finished runs saved as record files in a folder (the extension's storage), newest kept.
// A finished run's record is never lost to a later run: pruning removes only the oldest
// beyond the number the learner chose to keep.

import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { RUN_RECORD_SCHEMA, type LockEventList, type RunRecord } from '../../../shared/runRecord';
import { writeJsonFile } from './jsonFile';
import { readTopLevelFields } from './topLevelFields';

export interface SavedRun {
  path: string;
  file: string;
  startedAt: string;
  outcome: RunRecord['outcome'];
  exitCode: number | null;
  durationMs: number;
}

const SUFFIX = '.run.json';

export class RunStore {
  constructor(private readonly folder: string, private readonly keep: () => number) {}

  async save(record: RunRecord<LockEventList>): Promise<string> {
    await mkdir(this.folder, { recursive: true });
    const stamp = record.startedAt.replace(/[:.]/g, '-');
    const name = `${stamp}-${path.basename(record.file, '.py').replace(/[^\w-]/g, '_')}${SUFFIX}`;
    const target = path.join(this.folder, name);
    await writeJsonFile(target, record);
    await this.prune();
    return target;
  }

  /** Saved runs, newest first. Files that are not run records are passed over. */
  async list(): Promise<SavedRun[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const runs: SavedRun[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX)).sort().reverse()) {
      const full = path.join(this.folder, name);
      const header = await readRecordHeader(full);
      if (header) runs.push({ ...header, path: full });
    }
    return runs;
  }

  /** Only run records count and go: a foreign file in the folder is left alone. */
  private async prune(): Promise<void> {
    for (const run of (await this.list()).slice(Math.max(1, this.keep()))) {
      await rm(run.path, { force: true });
    }
  }
}

/** Reads and checks a saved record; a clear error for a file that is not one. */
export async function loadRecord(file: string): Promise<RunRecord> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path.basename(file)} is not a Parallel Lab run record (it is not JSON).`);
  }
  if (typeof value !== 'object' || value === null || (value as { schema?: unknown }).schema !== RUN_RECORD_SCHEMA) {
    throw new Error(`${path.basename(file)} is not a Parallel Lab run record (schema ${RUN_RECORD_SCHEMA} expected).`);
  }
  return value as RunRecord;
}

/** What a list of runs shows of a saved record, read without parsing the whole file (see topLevelFields.ts). */
async function readRecordHeader(file: string): Promise<Omit<SavedRun, 'path'> | null> {
  try {
    if (!(await stat(file)).isFile()) return null;
    const fields = await readTopLevelFields(file, ['schema', 'file', 'startedAt', 'outcome', 'exitCode', 'durationMs']);
    if (fields?.get('schema') !== RUN_RECORD_SCHEMA) return null;
    const header = { file: fields.get('file'), startedAt: fields.get('startedAt'), outcome: fields.get('outcome'), exitCode: fields.get('exitCode'), durationMs: fields.get('durationMs') };
    const valid = typeof header.file === 'string' && typeof header.startedAt === 'string' && typeof header.outcome === 'string' &&
      (header.exitCode === null || typeof header.exitCode === 'number') && typeof header.durationMs === 'number';
    return valid ? (header as Omit<SavedRun, 'path'>) : null;
  } catch {
    return null;
  }
}
