// The `parallel-lab` command line as a user runs it: real node, real Python.

import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunRecord } from '../../src/shared/runRecord';
import { isProcessAlive } from '../../src/extension/engine/run/processTree';
import { itWithPython } from '../helpers/pythonVersions';
import { runCli } from '../helpers/cli';
import { SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';

const COUNTER = path.join(SAMPLES_DIR, '04-sharing-memory', 'counter.py');

function tempFile(name: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-cli-')), name);
}

/** One sentence, no stack trace of ours. */
function assertCleanError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /\n\s+at .+\(.+:\d+:\d+\)/, 'no JavaScript stack trace');
  assert.doesNotMatch(stderr, /internal error/);
}

describe('parallel-lab run (command line)', function () {
  this.timeout(60_000);

  it('streams the output, prints the summary, writes the record and exits with the program\'s code', async () => {
    const json = tempFile('counter.json');
    const result = await runCli(['run', COUNTER, '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^10\n/, 'the program output comes first, as it is');
    assert.match(result.stdout, /Processes \(\d+\)/);
    assert.match(result.stdout, /PID\s+PPID\s+ROLE\s+NAME\s+LIFETIME\s+CPU MEAN\s+CPU MAX/);
    assert.equal((result.stdout.match(/\bprocess\s+Process-\d+/g) ?? []).length, 10, 'ten worker rows');
    assert.match(result.stdout, /core 0\s+\d+ % your run · \d+ % other programs/);
    assert.match(result.stdout, /exit code 0/);
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(record.schema, 'parallel-lab/run@1');
    assert.equal(record.stdout, '10\n');
    assert.equal(record.processes.filter((p) => p.role === 'process').length, 10);
  });

  it('keeps running and writes the record when its reader goes away (| head)', async () => {
    const file = writeProgram('chatty.py', 'for i in range(20000):\n    print("line", i)\n');
    const json = tempFile('chatty.json');
    const { execFile } = await import('node:child_process');
    const { CLI } = await import('../helpers/cli');
    const status = await new Promise<string>((resolve) =>
      execFile('bash', ['-o', 'pipefail', '-c', `node ${CLI} run ${file} --json ${json} | head -n 1; echo "\${PIPESTATUS[0]}"`], (_error, stdout, stderr) =>
        resolve(`${stdout}|${stderr}`),
      ),
    );
    assert.match(status, /^line 0\n0\n\|$/, 'the first line, then the CLI\'s exit code 0 and nothing on stderr');
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(record.stdout.split('\n').length, 20001, 'the record holds all the output');
  });

  it('passes the program\'s own exit code and arguments through', async () => {
    const file = writeProgram('args.py', 'import sys\nprint(sys.argv[1:])\nsys.exit(7)\n');
    const result = await runCli(['run', file, '--quiet', '--', 'a', '--b']);
    assert.equal(result.code, 7);
    assert.equal(result.stdout, "['a', '--b']\n", "--quiet prints the program's output and no summary");
    const loud = await runCli(['run', file, '--', 'a', '--b']);
    assert.match(loud.stdout, /^\['a', '--b'\]\n\nProcesses/);
  });

  it('ends a tree that never ends at --timeout with exit code 124, leaving no process behind', async () => {
    const pidFile = tempFile('pids.txt');
    const file = writeProgram(
      'forever.py',
      `
      import os, subprocess, sys, time
      from multiprocessing import Process

      def child(pid_file, start_grandchild):
          if start_grandchild:
              grandchild = subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"])
              with open(pid_file, "a") as f:
                  f.write(f"{grandchild.pid}\\n")
          with open(pid_file, "a") as f:
              f.write(f"{os.getpid()}\\n")
          while True:
              time.sleep(1)

      if __name__ == "__main__":
          for n in range(3):
              Process(target=child, args=(sys.argv[1], n == 0)).start()
          while True:
              time.sleep(1)
      `,
    );
    const json = tempFile('forever.json');
    const result = await runCli(['run', file, '--timeout', '3', '--json', json, '--', pidFile]);
    assert.equal(result.code, 124);
    assert.match(result.stdout, /timed out/);
    // Node and Python start-up, then the 3 s limit, then at most the 1.5 s grace period.
    assert.ok(result.elapsedMs < 3000 + 1500 + 2500, `ended within the timeout plus grace (${result.elapsedMs} ms)`);
    const written = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    assert.equal(written.length, 4, 'three children and a grandchild wrote their pids');
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(record.outcome, 'timed-out');
    assert.ok(record.processes.some((p) => p.pid === written[0]), 'the subprocess grandchild was found by the sampler');
    const all = new Set([...written, ...record.processes.map((p) => p.pid)]);
    assert.deepEqual([...all].filter((pid) => isProcessAlive(pid)), [], 'no process of the run is left');
  });

  it('stops the whole tree on Ctrl-C', async () => {
    const pidFile = tempFile('pids.txt');
    const file = writeProgram(
      'tree.py',
      `
      import os, sys, time
      from multiprocessing import Process

      def child(pid_file):
          with open(pid_file, "a") as f:
              f.write(f"{os.getpid()}\\n")
          time.sleep(60)

      if __name__ == "__main__":
          for _ in range(2):
              Process(target=child, args=(sys.argv[1],)).start()
          with open(sys.argv[1], "a") as f:
              f.write(f"{os.getpid()}\\n")
          time.sleep(60)
      `,
    );
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers/cli');
    const child = spawn(process.execPath, [CLI, 'run', file, '--', pidFile], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while ((!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim().split('\n').length < 3) && Date.now() < deadline) {
      await delay(100);
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 130);
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    assert.equal(pids.length, 3);
    assert.deepEqual(pids.filter((pid) => isProcessAlive(pid)), []);
  });

  describe('clear errors', () => {
    it('a missing file', async () => {
      const result = await runCli(['run', '/nonexistent/nowhere.py']);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /^parallel-lab: The file \/nonexistent\/nowhere\.py does not exist; check the path and try again\.\n$/);
    });

    it('a file that is not Python', async () => {
      const file = tempFile('notes.txt');
      writeFileSync(file, 'hello');
      const result = await runCli(['run', file]);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /notes\.txt is not a Python file; Parallel Lab runs \.py files\./);
    });

    it('no Python found', async () => {
      const result = await runCli(['run', COUNTER, '--python', '/nonexistent/python3']);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /The Python interpreter "\/nonexistent\/python3" could not be started/);
      const emptyPath = await runCli(['run', COUNTER], { env: { ...process.env, PATH: mkdtempSync(path.join(os.tmpdir(), 'empty-path-')) } });
      assert.equal(emptyPath.code, 2);
      assertCleanError(emptyPath.stderr, /No Python interpreter was found \(tried python3, python\)/);
    });

    it('a Python that is too old', async () => {
      const fake = tempFile('python2');
      writeFileSync(fake, '#!/bin/sh\necho /usr/bin/python2.7\necho 2.7.18\necho ascii\necho gil\n'); // the probe's four lines, as Python 2.7 answers them
      chmodSync(fake, 0o755);
      const result = await runCli(['run', COUNTER, '--python', fake]);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /needs Python 3\.8 or later, but .*python2 is Python 2\.7\.18/);
    });

    itWithPython('2.7', 'a real Python 2.7, which the probe itself runs on', async (python) => {
      const result = await runCli(['run', COUNTER, '--python', python]);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /needs Python 3\.8 or later, but .*python2\.7 is Python 2\.7\.\d+/);
    });

    it('a bad option', async () => {
      const result = await runCli(['run', COUNTER, '--start-method', 'teleport']);
      assert.equal(result.code, 2);
      assertCleanError(result.stderr, /--start-method must be one of fork, spawn, forkserver/);
    });

    it('a syntax error: Python\'s traceback, a sentence, and the record with the exit code', async () => {
      const file = writeProgram('broken.py', 'print("fine")\ndef oops(:\n    pass\n');
      const json = tempFile('broken.json');
      const result = await runCli(['run', file, '--json', json]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /File ".*broken\.py", line 2/, "the program's own traceback is shown");
      assert.match(result.stderr, /SyntaxError/);
      assert.match(result.stdout, /Python could not read broken\.py: SyntaxError at line 2/);
      assert.doesNotMatch(result.stderr, /internal error/);
      const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
      assert.equal(record.exitCode, 1);
      assert.match(record.warnings.join('\n'), /SyntaxError at line 2/);
    });
  });

  it('never changes the learner\'s files', async () => {
    const file = writeProgram('quiet.py', 'import helper\nprint(helper.GREETING)\n');
    writeFileSync(path.join(path.dirname(file), 'helper.py'), 'GREETING = "hi"\n');
    const before = readdirSync(path.dirname(file)).map((name) => [name, statSync(path.join(path.dirname(file), name)).mtimeMs]);
    // Python would write __pycache__ next to helper.py if it were allowed to.
    const env = { ...process.env };
    delete env.PYTHONDONTWRITEBYTECODE;
    delete env.PYTHONPYCACHEPREFIX;
    const result = await runCli(['run', file], { env });
    assert.match(result.stdout, /^hi\n/);
    const after = readdirSync(path.dirname(file)).map((name) => [name, statSync(path.join(path.dirname(file), name)).mtimeMs]);
    assert.deepEqual(after, before, 'no file added or touched next to the program (no __pycache__ either)');
  });

  it('caches compiled modules in its own folder even under PYTHONDONTWRITEBYTECODE', async () => {
    // Without the cache every traced interpreter would compile what it imports at each start.
    const file = writeProgram('cached.py', 'import helper\nprint(helper.GREETING)\n');
    writeFileSync(path.join(path.dirname(file), 'helper.py'), 'GREETING = "hi"\n');
    const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-xdg-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', XDG_CACHE_HOME: cacheHome };
    delete env.PYTHONPYCACHEPREFIX;
    const result = await runCli(['run', file], { env });
    assert.match(result.stdout, /^hi\n/);
    const cached = readdirSync(cacheHome, { recursive: true }).map(String);
    assert.ok(cached.some((entry) => /helper\.cpython-\d+\.pyc$/.test(entry)), `the learner's module is cached: ${cached.length} files`);
    assert.ok(cached.some((entry) => /lifecycle\.cpython-\d+\.pyc$/.test(entry)), "the tracer's modules are cached");
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), ['cached.py', 'helper.py'], 'nothing written next to the program');
  });
});
