// Finds the Python interpreter a run will use and checks that it is recent enough for the
// tracer (3.8+). The check runs the interpreter itself, so a broken or fake `python` on
// PATH is caught before the run, with a sentence that says what to do.

import { execFile } from 'node:child_process';
import { batchShimOf, realInterpreterOfShim, searchEnvironment } from './batchShims';
import { UserFacingError } from '../run/errors';
import { cachedInterpreter, rememberInterpreter } from './interpreterCache';

export const MIN_PYTHON: readonly [number, number] = [3, 8];

export interface PythonInfo {
  /** What was asked for or found on PATH, e.g. "python3". */
  command: string;
  /** The interpreter's own sys.executable. */
  executable: string;
  version: string;
  /**
   * The encoding the interpreter would write its pipes in by itself, normalised by Python's
   * codecs ("utf-8", "iso8859-1", "cp1252"): the locale's, or UTF-8 in UTF-8 mode.
   */
  stdioEncoding: string;
  /**
   * sys._is_gil_enabled() (3.13+), else true: false on a free-threaded build that runs without
   * its GIL. Read before the run: a module that turns the GIL back on at import (with a
   * RuntimeWarning the learner sees) is not seen here.
   */
  gilEnabled: boolean;
}

// Runs under PYTHONIOENCODING=utf-8, but writes bytes, not text: on POSIX a path is bytes
// that Python decodes with the locale's encoding (a Latin-1 locale turns "Zoë" into "ZoÃ«"),
// and os.fsencode gives those bytes back as they are; on Windows it encodes as UTF-8.
// Written to run on Python 2 as well, so that an old `python` gets the "too old" sentence.
const PROBE = [
  'import codecs, locale, os, sys',
  'fsencode = getattr(os, "fsencode", lambda path: path)',
  'out = getattr(sys.stdout, "buffer", sys.stdout)',
  'encoding = codecs.lookup(locale.getpreferredencoding(False)).name',
  'gil = getattr(sys, "_is_gil_enabled", lambda: True)()',
  'facts = [fsencode(sys.executable), ("%d.%d.%d" % sys.version_info[:3]).encode(), encoding.encode(), b"gil" if gil else b"nogil"]',
  'out.write(b"\\n".join(facts) + b"\\n")',
].join('\n');

/** The candidates tried in order when no interpreter is named. */
function defaultCandidates(): string[] {
  return process.platform === 'win32' ? ['python', 'py', 'python3'] : ['python3', 'python'];
}

export async function resolvePython(requested?: string): Promise<PythonInfo> {
  const candidates = requested ? [requested] : defaultCandidates();
  for (const command of candidates) {
    const cached = await cachedInterpreter(command);
    if (cached) return { command, ...cached };
    const info = await probe(command);
    if (!info) continue;
    if (compareVersion(info.version, MIN_PYTHON) < 0) {
      throw new UserFacingError(
        `Parallel Lab needs Python ${MIN_PYTHON.join('.')} or later, but ${command} is Python ${info.version}; ` +
          'install a newer Python or choose one with --python PATH.',
      );
    }
    await rememberInterpreter(command, info);
    return info;
  }
  if (requested) {
    throw new UserFacingError(
      `The Python interpreter "${requested}" could not be started; check the path, or choose another with --python PATH.`,
    );
  }
  throw new UserFacingError(
    `No Python interpreter was found (tried ${candidates.join(', ')}); install Python ${MIN_PYTHON.join('.')} or later, or choose one with --python PATH.`,
  );
}

async function probe(command: string): Promise<PythonInfo | null> {
  // A batch-file shim (pyenv-win) cannot be started without a shell: ask it once for the
  // interpreter it stands for, and probe (and later run) that one directly.
  const shim = batchShimOf(command, searchEnvironment());
  const interpreter = shim === undefined ? command : await realInterpreterOfShim(shim);
  if (interpreter === null) return null;
  return new Promise((resolve) => {
    const env = { ...process.env, PYTHONIOENCODING: 'utf-8' };
    execFile(interpreter, ['-c', PROBE], { env, timeout: 15_000, windowsHide: true }, (error, stdout) => {
      const [executable, version, stdioEncoding, gil] = stdout.split(/\r?\n/);
      if (error || !executable || !/^\d+\.\d+\.\d+$/.test(version ?? '') || !stdioEncoding || (gil !== 'gil' && gil !== 'nogil')) {
        resolve(null);
        return;
      }
      resolve({ command, executable, version, stdioEncoding, gilEnabled: gil === 'gil' });
    });
  });
}

function compareVersion(version: string, minimum: readonly [number, number]): number {
  const [major, minor] = version.split('.').map(Number);
  return major !== minimum[0] ? major - minimum[0] : minor - minimum[1];
}
