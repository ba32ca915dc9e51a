// Every process's real end, in the run record: a bare os.fork() child that leaves through
// os._exit, children collected with os.wait*, subprocess children too short for the sampler.
// Real programs profiled by the engine, each compared where it matters with a plain run.

import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { START_METHODS, type LockEventList, type ProcessEntry, type RunRecord } from '../../src/shared/runRecord';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { DEFAULT_PYTHON, runTraced } from '../helpers/tracedPython';
import { findPython, itWithPython } from '../helpers/pythonVersions';
import { writeProgram } from '../helpers/pythonPrograms';

function profile(file: string, python?: string): Promise<RunRecord<LockEventList>> {
  return ProfileRun.start({ file, python }).then((run) => run.finished);
}

interface PlainRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** The same program without Parallel Lab, run as the engine runs it (from its folder, by its full path). */
function runPlain(file: string, python = DEFAULT_PYTHON): Promise<PlainRun> {
  return new Promise((resolve) => {
    execFile(python, [file], { cwd: path.dirname(file) }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ stdout, stderr, exitCode: code });
    });
  });
}

function mainOf(record: RunRecord<LockEventList>): ProcessEntry {
  const main = record.processes.find((p) => p.role === 'main');
  assert.ok(main, 'the record has its main process');
  return main;
}

/** The only process of the record that `matches`. */
function theProcess(record: RunRecord<LockEventList>, matches: (p: ProcessEntry) => boolean, what: string): ProcessEntry {
  const found = record.processes.filter(matches);
  assert.equal(found.length, 1, `one ${what} in ${JSON.stringify(record.processes.map(({ samples: _s, ...p }) => p))}`);
  return found[0];
}

/** The child made by os.fork() in the main: the only process the main's tracer knows by that name. */
function forkChildOf(record: RunRecord<LockEventList>): ProcessEntry {
  const main = mainOf(record);
  return theProcess(record, (p) => p.ppid === main.pid && p.name === 'fork of MainProcess', 'fork child');
}

/** Versions the tracer promises to support, beside the default python3 (undefined). */
const VERSIONS = [undefined, '3.8', '3.12', '3.13'];

interface ForkCase {
  what: string;
  /** undefined: DEFAULT_PYTHON. */
  version: string | undefined;
  /** How the parent collects the child: os.waitpid(pid, 0) or os.wait(). */
  collect: string;
  /** Killed by the parent with SIGKILL after 0.3 s, rather than leaving with os._exit(7) after 0.3 s. */
  killed: boolean;
}

function forkCases(): ForkCase[] {
  return [
    ...VERSIONS.map((version) => ({ what: `calls os._exit(7), collected with os.waitpid (Python ${version ?? 'default'})`, version, collect: 'os.waitpid(pid, 0)', killed: false })),
    { what: 'calls os._exit(7), collected with os.wait()', version: undefined, collect: 'os.wait()', killed: false },
    { what: 'is killed by SIGKILL (the negative signal number)', version: undefined, collect: 'os.wait()', killed: true },
  ];
}

/** A child that lives about 0.3 s; its parent collects it, then lives on for another second. */
function forkChildProgram(collect: string, killed: boolean): string {
  return `
    import os
    import signal
    import time

    pid = os.fork()
    if pid == 0:
        time.sleep(${killed ? 30 : 0.3})
        os._exit(7)
    if ${killed ? 'True' : 'False'}:
        time.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
    waited, status = ${collect}
    if os.WIFSIGNALED(status):
        print(waited == pid, "killed by", os.WTERMSIG(status))
    else:
        print(waited == pid, "exited with", os.WEXITSTATUS(status))
    time.sleep(1.0)
    `;
}

/** Before 3.11 a re-raise keeps the re-raising wrapper's frame in the traceback (see channels/wrappers.py). */
function dropsWrapperFrames(python: string | undefined): boolean {
  return python !== undefined && spawnSync(python, ['-c', 'import sys; sys.exit(sys.version_info < (3, 11))']).status === 0;
}

describe('process exits in the run record', function () {
  this.timeout(60_000);
  this.slow(5_000);

  for (const { version, collect, killed, what } of forkCases()) {
    itWithPython(version, `records the exit code and the real end of a bare fork child that ${what}`, async (python) => {
      const record = await profile(writeProgram('fork_child.py', forkChildProgram(collect, killed)), python);
      assert.equal(record.stdout, `True ${killed ? 'killed by 9' : 'exited with 7'}\n`);
      assert.equal(record.exitCode, 0);
      const child = forkChildOf(record);
      assert.equal(child.exitCode, killed ? -9 : 7);
      assert.ok(child.endMs !== null);
      const lifetime = child.endMs - child.startMs;
      assert.ok(lifetime >= 250 && lifetime < 600, `the child lived ${lifetime.toFixed(0)} ms, about 300`);
      assert.ok(child.endMs < record.durationMs - 700, `the child ended at ${child.endMs.toFixed(0)} ms, well before the run's end at ${record.durationMs.toFixed(0)} ms`);
      // A killed child reports nothing itself: its CPU time is the sampler's last reading (it slept).
      if (killed) assert.ok(child.cpuMs !== null && child.cpuMs < 100, `the sampler's reading of its CPU time: ${child.cpuMs} ms`);
      else assert.ok(child.cpuMs !== null && child.cpuMs >= 0, 'the child reported its CPU time as it left');
    });
  }

  it('gives a subprocess child its exit code, and lists one shorter than a sampler tick with its command', async () => {
    const file = writeProgram(
      'subprocesses.py',
      `
      import subprocess

      print(subprocess.run(["sh", "-c", "sleep 0.3; exit 3"]).returncode)
      print(subprocess.run(["true"]).returncode)
      `,
    );
    const record = await profile(file);
    assert.equal(record.stdout, '3\n0\n');
    const main = mainOf(record);
    const shell = theProcess(record, (p) => p.command === 'sh -c sleep 0.3; exit 3', 'shell child');
    assert.deepEqual({ ppid: shell.ppid, role: shell.role, name: shell.name, exitCode: shell.exitCode }, { ppid: main.pid, role: 'other', name: 'sh -c', exitCode: 3 });
    const quick = theProcess(record, (p) => p.command === 'true', '"true" child');
    assert.deepEqual({ ppid: quick.ppid, role: quick.role, name: quick.name, exitCode: quick.exitCode }, { ppid: main.pid, role: 'other', name: 'true', exitCode: 0 });
    assert.ok(quick.endMs !== null && quick.endMs < shell.startMs + 1000, 'the quick child ended when it was collected');
    assert.deepEqual(record.warnings, []);
  });

  it('reports a multiprocessing child\'s exit once, whether its Popen or os.waitpid saw it', async () => {
    const file = writeProgram(
      'mp_exits.py',
      `
      import multiprocessing as mp
      import os
      import signal
      import sys

      def leave():
          sys.exit(3)

      def die():
          os.kill(os.getpid(), signal.SIGKILL)

      if __name__ == "__main__":
          for target in (leave, die):
              p = mp.get_context("fork").Process(target=target)
              p.start()
              p.join()
              print(p.exitcode)
      `,
    );
    const result = await runTraced(file);
    assert.equal(result.stdout, '3\n-9\n');
    const exits = result.records.flatMap((r) => (r.type === 'child-exit' ? [[r.pid, r.exitCode]] : []));
    const children = result.records.flatMap((r) => (r.type === 'process-role' && r.role === 'process' ? [r.pid] : []));
    assert.deepEqual(exits, [[children[0], 3], [children[1], -9]], 'one exit record per child, with its code');
  });

  // CPython's test_sys_exit does Process(target=sys.exit, args=(True,)): _bootstrap returns the
  // SystemExit code as it is when it is an int, and a bool is one. Sent as `"exitCode":true`,
  // the child's process-end was rejected by the event server and lost.
  for (const method of START_METHODS) {
    it(`reports a multiprocessing child's own end with the code its parent sees after sys.exit(True), (False) or (300) under ${method}`, async () => {
      const file = writeProgram(
        'sys_exit_codes.py',
        `
        import multiprocessing as mp
        import sys

        if __name__ == "__main__":
            for code in (True, False, 300):
                p = mp.Process(target=sys.exit, args=(code,))
                p.start()
                p.join()
                print(p.pid, p.exitcode)
        `,
      );
      const result = await runTraced(file, { startMethod: method });
      const seen = result.stdout.trim().split('\n').map((line) => line.split(' ').map(Number));
      assert.deepEqual(seen.map(([, code]) => code), [1, 0, 44], 'what the parent saw');
      const ends = new Map(result.records.flatMap((r) => (r.type === 'process-end' ? [[r.pid, r.exitCode] as const] : [])));
      assert.deepEqual(seen.map(([pid]) => ends.get(pid)), [1, 0, 44], 'each child reported its end with that code');
    });
  }

  for (const version of VERSIONS.filter((version) => dropsWrapperFrames(version === undefined ? DEFAULT_PYTHON : findPython(version)))) {
    itWithPython(version, `leaves a traceback raised through os.waitpid, and the program's output and exit code, unchanged (Python ${version ?? 'default'})`, async (python) => {
      const file = writeProgram(
        'not_my_child.py',
        `
        import os
        import subprocess
        import sys

        print("before", flush=True)
        pid = os.fork()
        if pid == 0:
            os._exit(4)
        print("collected", os.waitpid(pid, 0)[1] >> 8)
        print("ran", subprocess.run(["sh", "-c", "exit 2"]).returncode)
        sys.stderr.write("on stderr\\n")
        os.waitpid(1, 0)
        `,
      );
      const [record, plain] = [await profile(file, python), await runPlain(file, python)];
      assert.match(plain.stderr, /ChildProcessError/);
      assert.equal(record.stderr, plain.stderr);
      assert.equal(record.stdout, plain.stdout);
      assert.equal(record.exitCode, plain.exitCode);
      assert.equal(forkChildOf(record).exitCode, 4);
    });
  }

  it('leaves the traceback of a command that does not exist unchanged', async () => {
    const file = writeProgram(
      'no_such_command.py',
      `
      import subprocess

      subprocess.run(["parallel-lab-no-such-command"])
      `,
    );
    const [record, plain] = [await profile(file), await runPlain(file)];
    assert.match(plain.stderr, /FileNotFoundError/);
    assert.equal(record.stderr, plain.stderr);
    assert.equal(record.exitCode, plain.exitCode);
  });
});
