// A program's threads under `parallel-lab run`: the program prints, fails and exits as it does
// without Parallel Lab, byte for byte, on every installed Python (the tracer adds no thread and
// no frame to a thread's traceback), and the summary lists each thread.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';

/**
 * Named threads, one per turn so that the output has one order; each renamed while it runs;
 * one that raises (threading prints its traceback); what threads the process has then, by
 * Python's count and the kernel's (once the ended ones have left it: an OS thread leaves a
 * moment after join() returns); a fork once they are gone (3.12+ would warn of a second
 * thread); and an exit code of its own.
 */
const THREADS = `
import os, sys, threading, time

def cook(results, i, renamed):
    renamed.wait()
    results[i] = sum(k * k for k in range(10000 * (i + 1)))

def explode():
    raise ValueError("the chef dropped the pan")

if __name__ == "__main__":
    results = {}
    for i in range(3):
        renamed = threading.Event()
        chef = threading.Thread(name="chef-%d" % i, target=cook, args=(results, i, renamed))
        chef.start()
        chef.name = "renamed-%d" % i
        renamed.set()
        chef.join()
        print(chef.name, results[i], chef.is_alive())
    boom = threading.Thread(name="boom", target=explode)
    boom.start()
    boom.join()
    print("threads:", threading.active_count(), [thread.name for thread in threading.enumerate()])
    if sys.platform.startswith("linux"):
        time.sleep(0.2)
        print("OS threads:", len(os.listdir("/proc/self/task")))
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        print("child threads:", threading.active_count())
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)
    sys.exit(3)
`;

describe('threads under parallel-lab run', function () {
  this.timeout(120_000);

  for (const version of ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13']) {
    itWithPython(version, `print, fail and exit as without it, byte for byte, with every thread in the record (Python ${version})`, async (python) => {
      const file = writeProgram('threads.py', THREADS);
      const cwd = path.dirname(file);
      const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
      const plain = spawnSync(python, [file], { cwd, env });
      assert.match(plain.stderr.toString(), /Exception in thread boom[\s\S]*ValueError: the chef dropped the pan/, 'the plain run printed the thread\'s traceback');
      const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-threads-')), 'run.json');
      const traced = await runCli(['run', file, '--python', python, '--quiet', '--json', json], { cwd, env });
      assert.equal(traced.stdout, plain.stdout.toString());
      assert.ok(traced.stdoutBytes.equals(plain.stdout), 'stdout byte for byte');
      assert.equal(traced.stderr, plain.stderr.toString());
      assert.ok(traced.stderrBytes.equals(plain.stderr), 'stderr byte for byte');
      assert.equal(traced.code, plain.status);
      const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
      const main = record.processes.find((p) => p.role === 'main');
      assert.deepEqual(main?.threads?.map((thread) => thread.name), ['MainThread', 'renamed-0', 'renamed-1', 'renamed-2', 'boom'], 'each thread under its last name');
      const child = record.processes.find((p) => p.ppid === main.pid);
      assert.equal(child?.threads?.[0]?.name, 'MainThread', 'a fork child has the thread that forked');
    });
  }

  it('lists the threads of a process that had more than one in the summary', async () => {
    const file = writeProgram('two_chefs.py', `
      import threading

      def cook():
          sum(k * k for k in range(200000))

      if __name__ == "__main__":
          chefs = [threading.Thread(name="chef-%d" % i, target=cook) for i in (1, 2)]
          for chef in chefs:
              chef.start()
          for chef in chefs:
              chef.join()
    `);
    const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-threads-')), 'run.json');
    const result = await runCli(['run', file, '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    const threads = record.processes[0].threads ?? [];
    const part = result.stdout.split('\n\n').find((section) => section.startsWith('Threads'));
    assert.ok(part, `a Threads part:\n${result.stdout}`);
    assert.match(part, /^ {2}PID\s+PROCESS\s+THREAD\s+TID\s+LIFETIME\s+CPU TIME\s+ON A CORE \(SHARE OF ITS LIFE\)\s+WAITED FOR THE GIL$/m);
    for (const thread of threads.filter((t) => t.name.startsWith('chef-'))) {
      // The wait for the GIL where its threads were read fast (they may have been too brief,
      // or read fast without waiting for it: none).
      assert.match(part, new RegExp(`^ +${thread.name}\\s+${thread.tid}\\s+[\\d.]+ s–[\\d.]+ s\\s+[\\d.]+ m?s\\s+\\d+ %\\s+(–|none|[\\d.]+ m?s)$`, 'm'), `${thread.name}'s row:\n${part}`);
    }
    assert.equal(threads.filter((t) => t.name.startsWith('chef-')).length, 2);
  });
});
