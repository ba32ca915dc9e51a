// Interpreters of the other Python versions the tracer supports (3.8 to 3.13), where this
// machine has them: pyenv's newest of that version, else `python3.X` on PATH. A test that
// needs one it lacks is registered as skipped, the reason in its title.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_PYTHON } from './tracedPython';

const found = new Map<string, string | undefined>();

/** The executable of Python `version` ('3.8'), or undefined when there is none here. */
export function findPython(version: string): string | undefined {
  if (!found.has(version)) {
    const candidates = [pyenvPython(version), `python${version}`].filter((candidate) => candidate !== undefined);
    found.set(version, candidates.map((candidate) => executableOf(candidate, version)).find((python) => python !== undefined));
  }
  return found.get(version);
}

/**
 * `it` given the interpreter of `version` (DEFAULT_PYTHON when undefined), or, where this
 * machine has none, a skipped `it` whose title says so.
 */
export function itWithPython(version: string | undefined, title: string, test: (this: Mocha.Context, python: string) => Promise<void>): void {
  const python = version === undefined ? DEFAULT_PYTHON : findPython(version);
  if (python === undefined) {
    it.skip(`${title} (skipped: no Python ${version} through pyenv or on PATH)`);
  } else {
    it(title, function () {
      return test.call(this, python);
    });
  }
}

function pyenvPython(version: string): string | undefined {
  const { root, names } = pyenvInstalls();
  const newest = names
    .filter((name) => name.startsWith(`${version}.`) && /^\d+\.\d+\.\d+$/.test(name))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .pop();
  return root && newest ? path.join(root, 'versions', newest, 'bin', `python${version}`) : undefined;
}

let installs: { root: string | undefined; names: string[] } | undefined;

/** pyenv's root and installed versions, asked once (pyenv's commands are shell scripts, slow to start). */
function pyenvInstalls(): { root: string | undefined; names: string[] } {
  installs ??= { root: output('pyenv', ['root']), names: output('pyenv', ['versions', '--bare'])?.split('\n') ?? [] };
  return installs;
}

/** The interpreter's own executable (past any shim), when it runs and is of `version`. */
function executableOf(python: string, version: string): string | undefined {
  const said = output(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2]); print(sys.executable)'])?.split('\n');
  return said?.[0] === version && said[1] ? said[1] : undefined;
}

function output(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
