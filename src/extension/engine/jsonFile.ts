// Writes a large JSON document to a file without building it as one string: a record of a
// million lock events is hundreds of megabytes of text, more than a single V8 string may
// comfortably hold. Top-level arrays are written element by element; the file appears
// whole or not at all (written to a temporary name, then renamed).

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

const CHUNK_ELEMENTS = 10_000;

export async function writeJsonFile(file: string, document: object): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    await write('{');
    let first = true;
    for (const [key, value] of Object.entries(document)) {
      if (value === undefined) continue;
      await write(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (Array.isArray(value)) {
        await write('[');
        for (let start = 0; start < value.length; start += CHUNK_ELEMENTS) {
          const chunk = value.slice(start, start + CHUNK_ELEMENTS).map((element) => JSON.stringify(element) ?? 'null');
          await write((start > 0 ? ',' : '') + chunk.join(','));
        }
        await write(']');
      } else {
        await write(JSON.stringify(value));
      }
    }
    await write('}');
    out.end();
    await once(out, 'finish');
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
