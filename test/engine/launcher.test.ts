// A run whose interpreter is a launcher, for real: a venv whose bin/python starts the base
// interpreter as its child under the venv's name, as a Windows venv's Scripts\python.exe
// does (the base interpreter's sys.executable is then the venv's python, so the engine
// spawns the launcher). The record and the live view must show one main, the interpreter.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { ProcessFacts } from '../../src/shared/liveDeltas';
import { writeProgram } from '../helpers/pythonPrograms';

/** A venv at DIR/venv whose python runs the base interpreter as a child, like Windows' redirector. */
function launcherVenv(dir: string): string {
  const base = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'venv', 'pyvenv.cfg'), `home = ${path.dirname(base)}\ninclude-system-site-packages = false\n`);
  const launcher = path.join(dir, 'venv', 'bin', 'python');
  // `exec -a` in a subshell: a child process (not this one, as a shim would be) named like the launcher.
  writeFileSync(launcher, `#!/bin/bash\n(exec -a "$0" ${base} "$@")\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

describe('a run started through a launcher', function () {
  this.timeout(60_000);

  it('records one main, the real interpreter, with the program\'s exit code, live and at the end', async () => {
    const file = writeProgram('launched.py', `
      import multiprocessing, os, sys

      def work():
          pass

      if __name__ == "__main__":
          child = multiprocessing.Process(target=work)
          child.start()
          child.join()
          print("main", os.getpid(), "launched by", os.getppid())
          sys.exit(3)
    `);
    const launcher = launcherVenv(path.dirname(file));
    const run = await ProfileRun.start({ file, python: launcher, startMethod: 'fork', live: true });
    const record = await run.finished;
    const [, mainPid, launcherPid] = /main (\d+) launched by (\d+)/.exec(record.stdout)?.map(Number) ?? [];
    assert.ok(mainPid && launcherPid && mainPid !== launcherPid, `the program ran in a child of the launcher: ${record.stdout}${record.stderr}`);

    const roles = record.processes.map((p) => `${p.pid} ${p.role} ${p.name}`);
    assert.deepEqual(record.processes.filter((p) => p.role === 'main').map((p) => p.pid), [mainPid], roles.join('\n'));
    const main = record.processes.find((p) => p.pid === mainPid);
    assert.deepEqual({ exitCode: main?.exitCode, ppid: main?.ppid }, { exitCode: 3, ppid: launcherPid });
    assert.equal(record.exitCode, 3);
    const launcherEntry = record.processes.find((p) => p.pid === launcherPid);
    assert.deepEqual({ role: launcherEntry?.role, name: launcherEntry?.name, startMs: launcherEntry?.startMs }, { role: 'other', name: 'launcher', startMs: 0 });
    assert.equal(record.processes.filter((p) => p.role === 'process' && p.ppid === mainPid).length, 1, roles.join('\n'));

    const live = new Map<number, ProcessFacts>();
    for (const delta of run.drainLiveDeltas()) if (delta.kind === 'process') live.set(delta.process.index, delta.process);
    const liveRoles = [...live.values()].map((p) => `${p.pid} ${p.role} ${p.name}`);
    assert.deepEqual(liveRoles.filter((p) => / main /.test(p)), [`${mainPid} main MainProcess`]);
    assert.ok(liveRoles.includes(`${launcherPid} other launcher`), liveRoles.join('\n'));
  });
});
