// Remembers, for a few minutes, which interpreter a command like "python3" resolved to and
// its version, so that back-to-back runs do not pay for a second Python start-up before
// each run (through a pyenv shim that start-up alone costs tens of milliseconds). An entry
// is used only while everything that decides the answer is unchanged: the command, PATH,
// the virtual-environment and pyenv variables, the locale and UTF-8 mode (they decide the
// encoding of its output), the folder, and the interpreter file itself.

import { statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { userCacheDir } from '../storage/userCache';

export interface CachedInterpreter {
  executable: string;
  version: string;
  stdioEncoding: string;
  gilEnabled: boolean;
}

interface Entry extends CachedInterpreter {
  checkedAt: number;
  executableMtimeMs: number;
}

const MAX_AGE_MS = 10 * 60_000;
/** Part of every key: entries written by an older probe (without gilEnabled, say) never match. */
const ENTRY_VERSION = 3;

function cacheFile(): string {
  return path.join(userCacheDir(), 'interpreters.json');
}

function keyOf(command: string): string {
  const env = process.env;
  const encoding = [env.LC_ALL, env.LC_CTYPE, env.LANG, env.LOCPATH, env.PYTHONUTF8];
  return JSON.stringify([ENTRY_VERSION, command, env.PATH, env.VIRTUAL_ENV, env.CONDA_PREFIX, env.PYENV_VERSION, ...encoding, process.cwd()]);
}

async function readEntries(): Promise<Record<string, Entry>> {
  try {
    return JSON.parse(await readFile(cacheFile(), 'utf8')) as Record<string, Entry>;
  } catch {
    return {};
  }
}

export async function cachedInterpreter(command: string): Promise<CachedInterpreter | undefined> {
  const entry = (await readEntries())[keyOf(command)];
  if (!entry || Date.now() - entry.checkedAt > MAX_AGE_MS) return undefined;
  try {
    if (statSync(entry.executable).mtimeMs !== entry.executableMtimeMs) return undefined;
  } catch {
    return undefined; // the interpreter is gone
  }
  return { executable: entry.executable, version: entry.version, stdioEncoding: entry.stdioEncoding, gilEnabled: entry.gilEnabled };
}

/** Best effort: a cache that cannot be written only costs the next run a probe. */
export async function rememberInterpreter(command: string, interpreter: CachedInterpreter): Promise<void> {
  try {
    const entries = await readEntries();
    entries[keyOf(command)] = { ...interpreter, checkedAt: Date.now(), executableMtimeMs: statSync(interpreter.executable).mtimeMs };
    await mkdir(path.dirname(cacheFile()), { recursive: true });
    const temporary = `${cacheFile()}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(entries));
    await rename(temporary, cacheFile());
  } catch {
    // ignored on purpose
  }
}
