// Finds the batch-file shims some Python managers put on PATH on Windows (pyenv-win's
// python.bat in %USERPROFILE%\.pyenv\pyenv-win\shims) and asks one which interpreter it
// stands for. Node's PATH search finds only .com and .exe files, and Node refuses to start
// a .bat without a shell (CVE-2024-27980): without this a pyenv-win learner has "no Python".
// The search is plain data in, path out, so it runs the same in a test on any platform.

import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';

export interface SearchEnvironment {
  platform: NodeJS.Platform;
  /** PATH as the platform writes it (`;`-separated on Windows). */
  pathList: string;
  /** PATHEXT: the extensions cmd.exe tries, in order. */
  pathExt: string;
  isFile: (file: string) => boolean;
}

const BATCH_FILE = /\.(bat|cmd)$/i;

export function searchEnvironment(): SearchEnvironment {
  return {
    platform: process.platform,
    pathList: process.env.PATH ?? '',
    pathExt: process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD',
    isFile: (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
  };
}

/**
 * The batch file that `command` is on Windows: itself when it names one, else what cmd.exe
 * would find first for a bare name (each PATH folder in turn, each PATHEXT extension in
 * turn). Undefined elsewhere, and when an .exe comes first: Node starts that one itself.
 */
export function batchShimOf(command: string, search: SearchEnvironment): string | undefined {
  if (search.platform !== 'win32') return undefined;
  if (BATCH_FILE.test(command)) return command;
  const extensions = search.pathExt.split(';').filter(Boolean).map((extension) => extension.toLowerCase());
  // A path, or a name whose extension is already one to run (python.exe): Node's to find.
  if (/[\\/]/.test(command) || extensions.includes(path.extname(command).toLowerCase())) return undefined;
  const folders = search.pathList.split(';').map((folder) => folder.replace(/"/g, '')).filter(Boolean);
  for (const folder of folders) {
    for (const extension of extensions) {
      const file = path.join(folder, command + extension);
      if (search.isFile(file)) return BATCH_FILE.test(extension) ? file : undefined;
    }
  }
  return undefined;
}

/** The interpreter a shim runs (its sys.executable), asked once through cmd.exe; null if it fails. */
export function realInterpreterOfShim(shim: string): Promise<string | null> {
  // /d: no AutoRun commands; /s /c "...": cmd takes off the outer quotes and runs the rest
  // as written. The question goes in on stdin (`python -`): a shim hands its arguments on
  // through more batch files, and each could split or re-quote a `-c "..."` program.
  const env = { ...process.env, PYTHONIOENCODING: 'utf-8' };
  return new Promise((resolve) => {
    const child = execFile(
      process.env.ComSpec ?? 'cmd.exe',
      ['/d', '/s', '/c', `""${shim}" -"`],
      { env, windowsVerbatimArguments: true, timeout: 15_000, windowsHide: true },
      (error, stdout) => {
        // The last line: a shim may print something of its own before Python starts.
        const executable = stdout.trim().split(/\r?\n/).pop()?.trim();
        resolve(error || !executable ? null : executable);
      },
    );
    child.stdin?.on('error', () => undefined); // a shim that fails at once closes it unread
    child.stdin?.end('import sys; print(sys.executable)\n');
  });
}
