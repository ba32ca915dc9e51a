// Reads a few top-level fields of a JSON object in a file without parsing the whole file.
// Listing the saved runs (to show them, or to prune the oldest after a save) needs five
// small fields of each record, and a record of a million lock events is a few hundred
// megabytes of JSON: parsed whole, it took the extension's host 400 MB more than the run.
//
// The file is read a chunk at a time and scanned for the object's members; only the values
// asked for are parsed, and the reading stops once they are all found. The record writer
// puts these fields before the big arrays, so that is within the first kilobytes; in a file
// written in another order the scan goes on to the end, still a chunk at a time.

import { createReadStream } from 'node:fs';

type State = 'start' | 'key-or-end' | 'key' | 'colon' | 'value-start' | 'value' | 'done';

/**
 * The fields among `names` that the file's top-level object has, parsed; null when the file
 * does not begin with a JSON object or a wanted value is not JSON.
 */
export async function readTopLevelFields(file: string, names: readonly string[]): Promise<Map<string, unknown> | null> {
  const wanted = new Set(names);
  const found = new Map<string, unknown>();
  const scanner = new MemberScanner(wanted, found);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      if (!scanner.feed(chunk) || found.size === wanted.size || scanner.finished) break;
    }
  } finally {
    stream.destroy();
  }
  return scanner.failed ? null : found;
}

/** Walks the members of one JSON object, fed in pieces; keeps the wanted values' text. */
class MemberScanner {
  private state: State = 'start';
  private key = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private valueText = '';
  failed = false;

  constructor(private readonly wanted: ReadonlySet<string>, private readonly found: Map<string, unknown>) {}

  get finished(): boolean {
    return this.state === 'done';
  }

  /** Scans one more piece; false once the text cannot be the object looked for. */
  feed(chunk: string): boolean {
    let valueFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const char = chunk[i];
      if (this.state === 'value-start') {
        if (isSpace(char)) continue;
        [this.state, this.depth, this.inString, this.escaped, this.valueText] = ['value', 0, false, false, ''];
        valueFrom = i;
      }
      if (this.state === 'value') {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (char === '\\') this.escaped = true;
          else if (char === '"') this.inString = false;
        } else if (char === '"') {
          this.inString = true;
        } else if (char === '{' || char === '[') {
          this.depth++;
        } else if ((char === '}' || char === ']') && this.depth > 0) {
          this.depth--;
        } else if (this.depth === 0 && (char === ',' || char === '}')) {
          if (!this.endValue(chunk, valueFrom, i)) return false;
          this.state = char === ',' ? 'key-or-end' : 'done';
        }
      } else if (this.state === 'key') {
        // Raw text, decoded as a JSON string once it is whole.
        if (this.escaped) this.escaped = false;
        else if (char === '\\') this.escaped = true;
        else if (char === '"') {
          if (!this.endKey()) return false;
          this.state = 'colon';
          continue;
        }
        this.key += char;
      } else if (this.state === 'done') {
        return true;
      } else if (!isSpace(char)) {
        if (this.state === 'start' && char === '{') this.state = 'key-or-end';
        else if (this.state === 'key-or-end' && char === '"') [this.state, this.key] = ['key', ''];
        else if (this.state === 'key-or-end' && char === '}') this.state = 'done';
        else if (this.state === 'colon' && char === ':') this.state = 'value-start';
        else return this.fail();
      }
    }
    if (this.state === 'value' && this.wanted.has(this.key)) this.valueText += chunk.slice(valueFrom);
    return true;
  }

  private endKey(): boolean {
    try {
      this.key = JSON.parse(`"${this.key}"`) as string;
      return true;
    } catch {
      return this.fail();
    }
  }

  /** The value ended at `end` of this chunk: parsed, if it is one of the wanted. */
  private endValue(chunk: string, from: number, end: number): boolean {
    if (!this.wanted.has(this.key)) return true;
    try {
      this.found.set(this.key, JSON.parse(this.valueText + chunk.slice(from, end)));
      return true;
    } catch {
      return this.fail();
    }
  }

  private fail(): false {
    this.failed = true;
    return false;
  }
}

/** JSON's whitespace. */
function isSpace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t';
}
