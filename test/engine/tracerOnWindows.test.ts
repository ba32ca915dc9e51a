// What the tracer does differently on Windows, run here with Windows' answers simulated: the
// clock it reads (time.monotonic ticks every 15.6 ms there before Python 3.13) and its
// connection to a named pipe that a burst of processes found busy.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { DEFAULT_PYTHON, TRACER_DIR } from '../helpers/tracedPython';

/** Runs `script` with the tracer's package importable (not started) and returns its stdout. */
function python(script: string): string {
  const result = spawnSync(DEFAULT_PYTHON, ['-c', script], { env: { ...process.env, PYTHONPATH: TRACER_DIR }, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe('the tracer on Windows (simulated)', () => {
  it('reads QueryPerformanceCounter (perf_counter) on Windows before 3.13, monotonic elsewhere', () => {
    const chosen = python(`
import time
from parallel_lab_tracer.clock import fine_clock
names = {time.perf_counter_ns: "perf_counter_ns", time.monotonic_ns: "monotonic_ns"}
for platform, version in [("win32", (3, 8)), ("win32", (3, 12)), ("win32", (3, 13)), ("linux", (3, 8)), ("darwin", (3, 12))]:
    print(platform, version[1], names[fine_clock(platform, version)])
`);
    assert.deepEqual(chosen.split('\n'), [
      'win32 8 perf_counter_ns',
      'win32 12 perf_counter_ns',
      'win32 13 monotonic_ns',
      'linux 8 monotonic_ns',
      'darwin 12 monotonic_ns',
    ]);
  });

  it('waits for a busy named pipe and connects once an instance is free, but not past its timeout', () => {
    const outcome = python(`
from parallel_lab_tracer.transport import ERROR_PIPE_BUSY, open_busy_pipe

def busy():
    error = OSError("All pipe instances are busy")
    error.winerror = ERROR_PIPE_BUSY
    return error

class Pipe:
    """Busy for the first \`busy_for\` opens, then open."""
    def __init__(self, busy_for):
        self.opens = 0
        self.waits = []
        self.busy_for = busy_for
    def open(self):
        self.opens += 1
        if self.opens <= self.busy_for:
            raise busy()
        return "connected"
    def wait(self, ms):
        self.waits.append(ms)

fake_now = [0.0]
def clock():
    return fake_now[0]
def waiting(pipe):
    def wait(ms):
        pipe.wait(ms)
        fake_now[0] += ms / 1000.0
    return wait

pipe = Pipe(busy_for=3)
print(open_busy_pipe(pipe.open, waiting(pipe), 1.0, clock), pipe.opens, pipe.waits)

fake_now[0] = 0.0
never = Pipe(busy_for=10**9)
try:
    open_busy_pipe(never.open, waiting(never), 0.25, clock)
except OSError as error:
    print("gave up after waiting", sum(never.waits), "ms, winerror", error.winerror)

other = OSError("The system cannot find the file specified")
other.winerror = 2
def missing():
    raise other
try:
    open_busy_pipe(missing, lambda ms: None, 1.0, clock)
except OSError as error:
    print("not retried: winerror", error.winerror)
`);
    assert.deepEqual(outcome.split('\n'), [
      'connected 4 [100, 100, 100]',
      'gave up after waiting 250 ms, winerror 231',
      'not retried: winerror 2',
    ]);
  });
});
