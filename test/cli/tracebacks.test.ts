// Every traceback a learner reads is the one Python prints without Parallel Lab: each
// program below fails inside a traced lock (multiprocessing's or threading's), queue or pipe
// call (or prints a caught traceback), and runs plain and under `parallel-lab run`, on every
// Python 3.8 to 3.13 this machine has. Its stderr must be the same bytes and its exit code the same.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/shared/runRecord';
import { runCli } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';
import { itWithPython } from '../helpers/pythonVersions';

const MAIN = 'import multiprocessing as mp\n';

/** name → program; each fails the way its name says (KeyboardInterrupt: from a blocked acquire). */
const FAILING: Record<string, string> = {
  'Lock().release() of an unheld lock': `${MAIN}
if __name__ == "__main__":
    lock = mp.Lock()
    lock.release()
`,
  'a BoundedSemaphore released once too often': `${MAIN}
if __name__ == "__main__":
    s = mp.BoundedSemaphore(1)
    s.acquire()
    s.release()
    s.release()
`,
  'an RLock released by a thread that does not own it': `${MAIN}
if __name__ == "__main__":
    mp.RLock().release()
`,
  'with lock: whose block released the lock already': `${MAIN}
if __name__ == "__main__":
    lock = mp.Lock()
    with lock:
        lock.release()
`,
  "a signal handler's KeyboardInterrupt in a blocked acquire()": `${MAIN}import signal

def handler(signum, frame):
    raise KeyboardInterrupt

if __name__ == "__main__":
    lock = mp.Lock()
    lock.acquire()
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    lock.acquire()
`,
  "a signal handler's KeyboardInterrupt in a blocked with lock:": `${MAIN}import signal

def handler(signum, frame):
    raise KeyboardInterrupt

if __name__ == "__main__":
    lock = mp.Lock()
    lock.acquire()
    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    with lock:
        pass
`,
  'Ctrl-C (SIGINT) in a blocked acquire()': `${MAIN}import os, signal, threading

if __name__ == "__main__":
    lock = mp.Lock()
    lock.acquire()
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    lock.acquire()
`,
  'pickling a lock outside inheritance': `${MAIN}import pickle

if __name__ == "__main__":
    pickle.dumps(mp.Lock())
`,
  'Queue().get(timeout=0.01) on an empty queue': `${MAIN}
if __name__ == "__main__":
    mp.Queue().get(timeout=0.01)
`,
  'recv() on a pipe whose other end is closed': `${MAIN}
if __name__ == "__main__":
    a, b = mp.Pipe()
    b.close()
    a.recv()
`,
  'tracebacks printed by the program itself, then it goes on': `${MAIN}import traceback

if __name__ == "__main__":
    lock = mp.Lock()
    try:
        lock.release()
    except ValueError:
        traceback.print_exc()
    s = mp.BoundedSemaphore(1)
    try:
        with s:
            s.release()
    except ValueError:
        traceback.print_exc()
    try:
        mp.Queue().get(timeout=0.01)
    except Exception:
        traceback.print_exc()
    print("went on")
`,
  // The learner's threading locks (wrappers of the C locks, and subclasses of threading's classes).
  'threading.Lock().release() of an unheld lock': `import threading
lock = threading.Lock()
lock.release()
`,
  'a threading.RLock released by a thread that does not own it': `import threading
threading.RLock().release()
`,
  'with threading.Lock(): whose block released the lock already': `import threading
lock = threading.Lock()
with lock:
    lock.release()
`,
  "a signal handler's KeyboardInterrupt in a blocked threading.Lock().acquire()": `import signal, threading

def handler(signum, frame):
    raise KeyboardInterrupt

lock = threading.Lock()
lock.acquire()
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.2)
lock.acquire()
`,
  "a signal handler's KeyboardInterrupt in a blocked with threading.RLock():": `import signal, threading

def handler(signum, frame):
    raise KeyboardInterrupt

lock = threading.RLock()
threading.Thread(target=lock.acquire).start()
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.2)
with lock:
    pass
`,
  "a signal handler's KeyboardInterrupt in threading.Event().wait()": `import signal, threading

def handler(signum, frame):
    raise KeyboardInterrupt

event = threading.Event()
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.2)
event.wait()
`,
  "a signal handler's KeyboardInterrupt in threading.Condition().wait()": `import signal, threading

def handler(signum, frame):
    raise KeyboardInterrupt

cond = threading.Condition()
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.2)
with cond:
    cond.wait()
`,
  'a threading.BoundedSemaphore released once too often inside with': `import threading
s = threading.BoundedSemaphore(1)
with s:
    s.release()
`,
  'threading.Semaphore(-1)': `import threading
threading.Semaphore(-1)
`,
  'threading.Condition().wait() without its lock': `import threading
threading.Condition(threading.Lock()).wait()
`,
  'a threading.Barrier broken by a timeout': `import threading
threading.Barrier(2).wait(0.05)
`,
  'pickling a threading.Event': `import pickle, threading
pickle.dumps(threading.Event())
`,
  'an attribute a threading.Lock does not have': `import threading
threading.Lock().aquire()
`,
};

/** What a shell reports for the plain run: its exit code, or 128 + the signal that ended it (as the CLI does). */
function shellExitCode(status: number | null, signal: NodeJS.Signals | null): number | null {
  return status ?? (signal ? 128 + os.constants.signals[signal] : null);
}

describe('tracebacks under parallel-lab run are the ones Python prints without it', function () {
  this.timeout(240_000);
  for (const version of ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13']) {
    itWithPython(version, `every failing call, byte for byte on stderr, with the same exit code (Python ${version})`, async (python) => {
      const different: string[] = [];
      for (const [name, source] of Object.entries(FAILING)) {
        const file = writeProgram('failing.py', source);
        const cwd = path.dirname(file);
        const plain = spawnSync(python, [file], { cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
        assert.ok(plain.stderr.length > 0, `${name}: the plain run printed a traceback`);
        const json = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-tb-')), 'run.json');
        const traced = await runCli(['run', file, '--python', python, '--quiet', '--json', json], {
          cwd,
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        });
        const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
        assert.ok(record.events.received > 0, `${name}: the tracer was on`);
        if (!traced.stderrBytes.equals(plain.stderr) || traced.code !== shellExitCode(plain.status, plain.signal) || !traced.stdoutBytes.equals(plain.stdout)) {
          different.push(
            `${name}: exit ${String(shellExitCode(plain.status, plain.signal))} plain, ${String(traced.code)} traced\n` +
              `--- plain stderr\n${plain.stderr.toString()}--- traced stderr\n${traced.stderr}`,
          );
        }
      }
      assert.deepEqual(different, [], different.join('\n'));
    });
  }
});
