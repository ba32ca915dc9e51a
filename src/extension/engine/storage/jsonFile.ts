// Writes a large JSON document to a file without building it as one string: a record of a
// million lock events is hundreds of megabytes of text, more than a single V8 string may
// comfortably hold. Top-level arrays are written element by element, and so is any other
// top-level iterable: the run's lock-event columns (lockEventColumns.ts) stand in for an
// array, and are read an event at a time so their million objects never exist at once. The
// file appears whole or not at all (written to a temporary name, then renamed).

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * Elements per piece: about 130 KB of text for lock events. Small pieces die young and are
 * collected cheaply; pieces of a few megabytes lingered until a full collection (writing a
 * million lock events: +57 MB peak RSS at 10,000 a piece, +21 MB at 1,000, and slower).
 */
const CHUNK_ELEMENTS = 1_000;

/**
 * The document's JSON text in pieces, the same text JSON.stringify would give (no top-level
 * value here is a Map or a Set, which it would write as `{}`).
 */
export function* jsonChunks(document: object): Generator<string> {
  yield '{';
  let first = true;
  for (const [key, value] of Object.entries(document)) {
    if (value === undefined) continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (isIterableObject(value)) yield* arrayChunks(value);
    else yield JSON.stringify(value);
  }
  yield '}';
}

function* arrayChunks(elements: Iterable<unknown>): Generator<string> {
  yield '[';
  let chunk: string[] = [];
  let written = false;
  for (const element of elements) {
    chunk.push(JSON.stringify(element) ?? 'null');
    if (chunk.length === CHUNK_ELEMENTS) {
      yield (written ? ',' : '') + chunk.join(',');
      written = true;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield (written ? ',' : '') + chunk.join(',');
  yield ']';
}

function isIterableObject(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

export async function writeJsonFile(file: string, document: object): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  try {
    for (const text of jsonChunks(document)) {
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
