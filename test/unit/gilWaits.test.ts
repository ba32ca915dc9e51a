// The syscall-file parser and the GIL inference on fixed text and fixed observations; the
// same rules on real Python are in test/engine/stoveSampler.test.ts.

import { strict as assert } from 'node:assert';
import { dominantState, GilWords, splitInterval } from '../../src/extension/engine/sampling/linux/gilWaits';
import { emptyThreadSyscall, futexSyscalls, isFutexWait, parseThreadSyscallInto } from '../../src/extension/engine/sampling/linux/linuxThreadSyscall';

function parse(text: string): ReturnType<typeof emptyThreadSyscall> | null {
  const into = emptyThreadSyscall();
  const bytes = Buffer.from(text);
  return parseThreadSyscallInto(into, bytes, bytes.length) ? into : null;
}

describe('parseThreadSyscallInto', function () {
  it('reads a futex wait: its number, the word and the operation (a real line: a thread blocked on a threading.Lock)', function () {
    const syscall = parse('202 0x559e74d2f7f0 0x189 0x0 0x0 0x0 0xffffffff 0x7fbd1422daa0 0x7fbd148a3f16\n');
    assert.deepEqual(syscall, { running: false, nr: 202, arg0: 0x559e74d2f7f0, arg1: 0x189 });
  });

  it('reads a sleep (clock_nanosleep), "running", and a sleep outside a system call', function () {
    assert.deepEqual(parse('230 0x1 0x1 0x7fbd13a2cc40 0x0 0x0 0x7fbd14f4e6e8 0x7fbd13a2cc00 0x7fbd148ed545\n'), { running: false, nr: 230, arg0: 1, arg1: 1 });
    assert.equal(parse('running\n')?.running, true);
    assert.deepEqual(parse('-1 0x7ffc887f78b0 0x7fbd149162ec\n'), { running: false, nr: -1, arg0: NaN, arg1: NaN });
  });

  it('leaves an address too long for a double unread, and refuses what is not a syscall line', function () {
    assert.ok(Number.isNaN(parse('202 0x1ffffffffffffff8 0x89 0x0 0x0 0x0 0x0 0x0 0x0\n')!.arg0));
    assert.equal(parse(''), null);
    assert.equal(parse('202\n'), null);
    assert.equal(parse('x 0x1 0x2\n'), null);
    assert.equal(parse('202 17 0x2\n'), null);
  });

  it('knows futex() by number on this architecture and its wait operations', function () {
    if (process.arch === 'x64') assert.deepEqual(futexSyscalls(), [202]);
    assert.deepEqual(futexSyscalls('arm64'), [98]);
    assert.deepEqual(futexSyscalls('sparc'), []);
    // FUTEX_WAIT_BITSET | PRIVATE (the GIL's timed wait), | CLOCK_REALTIME (a semaphore), FUTEX_WAIT | PRIVATE (a mutex).
    assert.ok([0x89, 0x189, 0x80].every(isFutexWait));
    // FUTEX_WAKE | PRIVATE, FUTEX_LOCK_PI.
    assert.ok(![0x81, 6].some(isFutexWait));
  });
});

// Addresses as seen on Python 3.11: the GIL's condition variable's two words and its mutex.
const COND_LOW = 0x7fac7114e6f0;
const COND_HIGH = COND_LOW + 4;
const MUTEX = COND_LOW + 8;
const SEMAPHORE = 0x5572a8f02450;

describe('GilWords', function () {
  it('finds the GIL where two threads sleep on both words of a condition variable', function () {
    const gil = new GilWords();
    gil.observe(101, COND_LOW);
    gil.observe(101, COND_LOW);
    assert.equal(gil.found, false, 'one thread on one word is no proof');
    gil.observe(102, COND_HIGH);
    assert.equal(gil.found, true);
    assert.ok([COND_LOW, COND_HIGH, MUTEX].every((word) => gil.isGilWord(word)), 'the two words and the mutex after them');
    assert.ok(![COND_LOW - 4, COND_LOW + 12, SEMAPHORE].some((word) => gil.isGilWord(word)));
  });

  it('does not take a lock two threads wait on (one word) for the GIL, nor one thread taking turns on both words', function () {
    const gil = new GilWords();
    for (let i = 0; i < 50; i++) gil.observe(101 + (i % 3), SEMAPHORE);
    gil.observe(201, COND_LOW);
    gil.observe(201, COND_HIGH);
    assert.equal(gil.found, false);
    assert.ok(![SEMAPHORE, COND_LOW, COND_HIGH].some((word) => gil.isGilWord(word)));
  });

  it('forgets unproven words beyond its bound, and still finds the GIL after', function () {
    const gil = new GilWords();
    for (let i = 0; i < 1000; i++) gil.observe(7, SEMAPHORE + 32 * i);
    gil.observe(101, COND_LOW);
    gil.observe(102, COND_HIGH);
    assert.ok(gil.isGilWord(COND_LOW));
  });
});

describe('splitInterval and dominantState', function () {
  it('splits an interval into ran, waited for a core and asleep, the sleep by what it was on', function () {
    assert.deepEqual(splitInterval(5e6, 1e6, 0.5e6, true), { intervalNs: 5e6, ranNs: 1e6, coreWaitNs: 0.5e6, gilWaitNs: 3.5e6, waitingNs: 0 });
    assert.deepEqual(splitInterval(5e6, 1e6, 0.5e6, false), { intervalNs: 5e6, ranNs: 1e6, coreWaitNs: 0.5e6, gilWaitNs: 0, waitingNs: 3.5e6 });
  });

  it('cuts counters that pass the interval by a hair, and never goes below zero', function () {
    assert.deepEqual(splitInterval(5e6, 5.01e6, 0.2e6, true), { intervalNs: 5e6, ranNs: 5e6, coreWaitNs: 0, gilWaitNs: 0, waitingNs: 0 });
    assert.deepEqual(splitInterval(5e6, -1, -1, false), { intervalNs: 5e6, ranNs: 0, coreWaitNs: 0, gilWaitNs: 0, waitingNs: 5e6 });
  });

  it('names the state that took most of the interval', function () {
    assert.equal(dominantState(splitInterval(5e6, 3e6, 0, true)), 'running');
    assert.equal(dominantState(splitInterval(5e6, 1e6, 1e6, true)), 'waiting-for-gil');
    assert.equal(dominantState(splitInterval(5e6, 1e6, 3e6, true)), 'waiting-for-core');
    assert.equal(dominantState(splitInterval(5e6, 0, 0, false)), 'waiting');
    assert.equal(dominantState(splitInterval(0, 0, 0, false)), 'unknown');
  });
});
