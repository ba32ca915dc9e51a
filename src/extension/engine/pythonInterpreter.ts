// Finds the Python interpreter a run will use and checks that it is recent enough for the
// tracer (3.8+). The check runs the interpreter itself, so a broken or fake `python` on
// PATH is caught before the run, with a sentence that says what to do.

import { execFile } from 'node:child_process';
import { UserFacingError } from './errors';
import { cachedInterpreter, rememberInterpreter } from './interpreterCache';

export const MIN_PYTHON: readonly [number, number] = [3, 8];

export interface PythonInfo {
  /** What was asked for or found on PATH, e.g. "python3". */
  command: string;
  /** The interpreter's own sys.executable. */
  executable: string;
  version: string;
}

const PROBE = 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])';

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

function probe(command: string): Promise<PythonInfo | null> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBE], { timeout: 15_000, windowsHide: true }, (error, stdout) => {
      const [executable, version] = stdout.trim().split(/\r?\n/);
      if (error || !executable || !/^\d+\.\d+\.\d+$/.test(version ?? '')) {
        resolve(null);
        return;
      }
      resolve({ command, executable, version });
    });
  });
}

function compareVersion(version: string, minimum: readonly [number, number]): number {
  const [major, minor] = version.split('.').map(Number);
  return major !== minimum[0] ? major - minimum[0] : minor - minimum[1];
}
