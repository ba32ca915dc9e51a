// The program's input and output under `parallel-lab run`, compared with plain python:
// stdin from a pipe or a terminal, output bytes that are not text, and --quiet.

import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { isProcessAlive } from '../../src/extension/engine/run/processTree';
import { CLI, runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { DEFAULT_PYTHON } from '../helpers/tracedPython';

function tempFile(name: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-io-')), name);
}

const ASK = 'n = int(input())\nprint(n * 2)\n';

// Stands in for a terminal: runs the CLI on a pseudo-terminal (its stdin, stdout and
// stderr, and its controlling terminal), waits for the program to print "ready", then
// types KEYS as a user would and reports everything the terminal showed and the exit code.
const TERMINAL = `
import json, os, pty, select, sys, time

node, cli, program, keys = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv(node, [node, cli, "run", program, "--quiet"])
shown = b""
typed = False
deadline = time.time() + 30
while time.time() < deadline:
    if not typed and b"ready" in shown:
        os.write(fd, keys.encode().decode("unicode_escape").encode())
        typed = True
    ready, _, _ = select.select([fd], [], [], 0.1)
    if not ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:  # EIO: the terminal's last user has gone
        break
    if not data:
        break
    shown += data
_, status = os.waitpid(pid, 0)
print(json.dumps({"shown": shown.decode(errors="replace"), "code": os.waitstatus_to_exitcode(status)}))
`;

function inTerminal(program: string, keys: string): Promise<{ shown: string; code: number }> {
  const terminal = writeProgram('terminal.py', TERMINAL);
  return new Promise((resolve, reject) =>
    execFile(DEFAULT_PYTHON, [terminal, process.execPath, CLI, program, keys], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as { shown: string; code: number }),
    ),
  );
}

describe("parallel-lab run: the program's input and output, untouched", function () {
  this.timeout(60_000);

  it('gives the program its piped stdin (echo 3 | parallel-lab run ask.py)', async () => {
    const file = writeProgram('ask.py', ASK);
    const result = await runCli(['run', file], { input: '3\n' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^6\n/);
    assert.equal(result.stderr, '');
  });

  it('reads what is typed in a terminal, and Ctrl-C there stops the whole run', async function () {
    if (process.platform === 'win32') this.skip();
    const answered = await inTerminal(writeProgram('ask.py', `print("ready", flush=True)\n${ASK}`), '3\\n');
    assert.equal(answered.code, 0, answered.shown);
    assert.match(answered.shown, /ready\r\n3\r\n6\r\n/, `the terminal echoes the 3, the program answers 6: ${JSON.stringify(answered.shown)}`);

    const pidFile = tempFile('pid.txt');
    const waiting = writeProgram('wait.py', `import os\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))\nprint("ready", flush=True)\ninput()\n`);
    const interrupted = await inTerminal(waiting, '\\x03');
    assert.equal(interrupted.code, 130, interrupted.shown);
    assert.equal(isProcessAlive(Number(readFileSync(pidFile, 'utf8'))), false, 'the program was stopped');
  });

  it('passes binary stdout and stderr through byte for byte, and the record keeps the decoded text', async () => {
    // Every byte value, invalid UTF-8, and half of a "€" at the very end of each stream.
    const file = writeProgram(
      'binary.py',
      `
      import sys
      euro = "€".encode()
      sys.stdout.buffer.write(bytes(range(256)) + b"\\xff\\xfe not \\xc3\\x28 text " + euro + euro[:2])
      sys.stdout.flush()
      sys.stderr.buffer.write(bytes(range(255, -1, -1)) + b"\\xed\\xa0\\x80 " + euro[:1])
      sys.stderr.flush()
      `,
    );
    const plain = spawnSync(DEFAULT_PYTHON, [file]);
    assert.equal(plain.status, 0, plain.stderr.toString());
    const json = tempFile('binary.json');
    const result = await runCli(['run', file, '--json', json]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdoutBytes.subarray(0, plain.stdout.length), plain.stdout, "stdout up to our summary is python's, byte for byte");
    assert.match(result.stdoutBytes.subarray(plain.stdout.length).toString(), /^\nProcesses \(1\)/, 'then our summary');
    assert.deepEqual(result.stderrBytes, plain.stderr, "stderr is python's, byte for byte");
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(record.stdout, plain.stdout.toString('utf8'), 'the record holds the decoded text, U+FFFD for what is not UTF-8');
    assert.equal(record.stderr, plain.stderr.toString('utf8'));
    assert.ok(record.stdout.endsWith('€\ufffd'), 'the half character at the end is in the record too');
  });

  it("--quiet leaves out the summary but not the program's output, and still writes the record", async () => {
    const file = writeProgram('greet.py', 'import sys\nprint("hello")\nprint("careful", file=sys.stderr)\nsys.exit(3)\n');
    const json = tempFile('greet.json');
    const result = await runCli(['run', file, '--quiet', '--json', json]);
    assert.equal(result.code, 3);
    assert.equal(result.stdout, 'hello\n', 'the output and nothing of ours');
    assert.equal(result.stderr, 'careful\n');
    const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
    assert.equal(record.stdout, 'hello\n');
    assert.equal(record.exitCode, 3);
  });
});
