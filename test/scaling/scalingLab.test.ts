// The scaling lab end to end through the engine API, with real Python processes on this
// machine: a CPU-bound function scales with processes but not threads, a sleeping one
// scales with both, and a function whose results change from call to call is flagged.
//
// Speedups depend on the machine's load: a measurement that misses its bound is taken
// once more, and then holds only the claims that do not rest on wall time if the machine
// was measurably noisy (see `noisy`). Failures print every number.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { coreShare } from '../../src/shared/cpuFigures';
import type { LockEventList, RunRecord } from '../../src/shared/runRecord';
import type { ScalingResult } from '../../src/shared/scaling';
import { runScalingLab, ScalingLabCancelled, type ScalingRequest } from '../../src/extension/engine/scaling/scalingLab';
import { writeProgram } from '../helpers/pythonPrograms';
import { quantile } from '../lessons/lessonSupport';

const WORK = `
  import random
  import time

  CALLS = 0

  def crunch(n):
      # About 80 ms of pure-Python arithmetic per item here: long enough that starting
      # the pool does not decide the speedup.
      total = 0
      for i in range(2_500_000):
          total += (i * n) % 7
      return total

  def crunch_long(n):
      # About 150 ms of pure-Python arithmetic per call on an idle core here.
      total = 0
      for i in range(4_000_000):
          total += (i * n) % 7
      return total

  def nap(n):
      time.sleep(0.1)
      return n * n

  def dice(n):
      return random.random()

  def count(n):
      global CALLS
      CALLS += 1
      return n

  if __name__ == "__main__":
      raise SystemExit("the lab must import this file, not run it")
`;

/** The lab's own account of a busy machine (otherLoad.ts). */
const SHARED_MACHINE = /^Other programs kept part of this machine's \d+ cores busy/;

function speedupOf(result: ScalingResult, mode: 'threads' | 'processes', workers: number): number {
  const found = result.modes.find((entry) => entry.mode === mode && entry.workers === workers);
  assert.ok(found, `no ${mode} run with ${workers} workers in ${JSON.stringify(result.modes)}`);
  return found.speedup;
}

function numbersOf(result: ScalingResult): string {
  const cpu = (cores: number | undefined): string => (cores === undefined ? '' : `, ${cores.toFixed(2)} cores`);
  const modes = result.modes.map((mode) => `${mode.mode}×${mode.workers}: ${mode.wallMs.toFixed(0)} ms [${mode.runsMs.map((ms) => ms.toFixed(0)).join(' ')}], ${mode.speedup.toFixed(2)}×${cpu(mode.cpuCores)}`).join('; ');
  const load = result.warnings.find((warning) => SHARED_MACHINE.test(warning)) ?? 'no other programs seen';
  return `${modes}; fit ${JSON.stringify(result.fit)}; verdict: ${result.verdict}; ${load}`;
}

interface LabRun {
  result: ScalingResult;
  records: Array<RunRecord<LockEventList>>;
}

/** Upper quartile of the run's own work over a step's ticks, in cores: what its cores view shows while the map ran. */
function coresUsed({ result, records }: LabRun, mode: 'threads' | 'processes', workers: number): number {
  const index = result.modes.findIndex((entry) => entry.mode === mode && entry.workers === workers);
  const runs = records[index].coreSamples.map((sample) => coreShare(sample).runTotal ?? NaN);
  return quantile(runs, 0.75) / 100;
}

/**
 * Why a run's wall times cannot be held to a bound, or null: the lab saw other programs on
 * the cores, or the sequential run and the 1-process pool (the same work on one core each)
 * took times more than 10 % apart, so the machine itself ran at different speeds. Neither
 * shows in the CPU figures: this VM's host takes its cores without the guest seeing it.
 */
function noisy(result: ScalingResult): string | null {
  if (result.warnings.some((warning) => SHARED_MACHINE.test(warning))) return 'the lab saw other programs on the cores';
  const sequential = result.modes.find((entry) => entry.mode === 'sequential');
  const one = result.modes.find((entry) => entry.mode === 'processes' && entry.workers === 1);
  if (!sequential || !one) return null;
  const apart = Math.abs(sequential.wallMs - one.wallMs) / Math.min(sequential.wallMs, one.wallMs);
  return apart > 0.1 ? `the same work on one core took ${sequential.wallMs.toFixed(0)} and ${one.wallMs.toFixed(0)} ms` : null;
}

/**
 * Runs the lab, and once more if `check` throws: the machine may have been busy. When the
 * second try misses too, it must have been measurably noisy (see `noisy`), and the test
 * goes on with the claims that do not rest on wall time.
 */
async function measureWithOneRetry(request: ScalingRequest, check: (result: ScalingResult) => void): Promise<LabRun> {
  const first = await runScalingLab(request);
  try {
    check(first.result);
    return first;
  } catch {
    const second = await runScalingLab(request);
    try {
      check(second.result);
      return second;
    } catch (again) {
      const numbers = `\n  first try: ${numbersOf(first.result)}\n  second try: ${numbersOf(second.result)}`;
      const why = noisy(second.result);
      if (why === null) throw new Error(`${(again as Error).message}, on a machine that ran the same work at the same speed${numbers}`, { cause: again });
      console.log(`      (wall times not held to their bounds: ${why}; ${(again as Error).message})${numbers}`);
      return second;
    }
  }
}

describe('scaling lab (engine, real processes)', function () {
  this.timeout(300_000);
  const file = writeProgram('work.py', WORK);

  it('a CPU-bound function: processes scale, threads do not, the fit finds a small serial part', async () => {
    const run = await measureWithOneRetry({ file, functionName: 'crunch', inputs: 'range(16)', maxWorkers: 2 }, (result) => {
      assert.ok(speedupOf(result, 'processes', 2) >= 1.5, `2 processes gave ${speedupOf(result, 'processes', 2).toFixed(2)}×, expected ≥ 1.5×`);
      assert.ok(speedupOf(result, 'threads', 2) <= 1.2, `2 threads gave ${speedupOf(result, 'threads', 2).toFixed(2)}×, expected ≤ 1.2×`);
      assert.ok(result.fit, 'no Amdahl fit');
      assert.ok(result.fit.serialFraction >= 0 && result.fit.serialFraction <= 0.3, `serial fraction ${result.fit.serialFraction.toFixed(3)}, expected 0..0.3`);
      assert.match(result.verdict, /With 2 workers this function ran [\d.]+× faster than alone/);
    });
    const { result } = run;
    // What the cores showed, whatever the wall times: the GIL keeps two threads to one
    // core, two processes use two.
    assert.ok(coresUsed(run, 'threads', 2) <= 1.2, `2 threads used ${coresUsed(run, 'threads', 2).toFixed(2)} cores; ${numbersOf(result)}`);
    assert.ok(coresUsed(run, 'processes', 2) >= 1.5, `2 processes used ${coresUsed(run, 'processes', 2).toFixed(2)} cores; ${numbersOf(result)}`);
    assert.ok(result.fit, 'no Amdahl fit');
    assert.equal(result.resultsEqual, true, numbersOf(result));
    assert.deepEqual(
      result.modes.map((mode) => [mode.mode, mode.workers]),
      [['sequential', 1], ['threads', 2], ['processes', 1], ['processes', 2], ['processes', 4]],
    );
    assert.equal(result.items, 16);
    assert.deepEqual(result.breakdown.map((entry) => entry.workers), [1, 2, 4]);
    for (const entry of result.breakdown) {
      assert.ok(entry.startupMs > 0 && entry.startupMs < 5000, `start-up ${entry.startupMs} ms`);
      assert.ok(entry.pickledBytes > 0, 'the items and results travel pickled through the pool');
    }
    // Whatever the wall times, threads are never called faster, and the GIL is why.
    assert.match(result.verdict, /Threads (made no measurable difference|ran it [\d.]+× slower than alone|did not speed it up by running at once)/, numbersOf(result));
    assert.match(result.verdict, /the 2 threads took turns on it, like 2 chefs sharing one stove/, numbersOf(result));
    for (const mode of result.modes) {
      assert.ok(mode.runsMs.length >= 3 && mode.runsMs.length <= 7, `${mode.mode} × ${mode.workers} ran ${mode.runsMs.length} times`);
      assert.ok(mode.spreadMs.low <= mode.wallMs && mode.wallMs <= mode.spreadMs.high, `the median of ${mode.mode} × ${mode.workers} lies in its spread: ${numbersOf(result)}`);
    }
    assert.ok(result.computeShare !== null && result.computeShare > 0.5, `the function computes: ${result.computeShare}`);
  });

  // Where the sampler tells the run apart from other programs (Linux, see the README).
  if (process.platform === 'linux') {
    it('with a CPU hog beside it: says other programs shared the cores while it measured', async () => {
      // In its own session, as another program on a learner's machine is.
      const hog: ChildProcess = spawn('python3', ['-c', 'while True: pass'], { detached: true, stdio: 'ignore' });
      try {
        await delay(300);
        const { result } = await runScalingLab({ file, functionName: 'crunch', inputs: 'range(4)', maxWorkers: 1 });
        const warning = result.warnings.find((text) => SHARED_MACHINE.test(text));
        assert.ok(warning, `no word of the hog: ${numbersOf(result)}`);
        assert.match(warning, /during the runs with no pool/);
        assert.match(warning, /during the runs with 2 processes/);
      } finally {
        hog.kill('SIGKILL');
      }
    });
  }

  it('a CPU-bound function on a machine two busy programs load: threads are not called faster, and the GIL is why', async () => {
    // In their own sessions, as other programs on a learner's machine are; as many as the
    // cores, at most two, so the lab's runs share every core with one of them.
    const hogs: ChildProcess[] = Array.from({ length: Math.min(2, os.cpus().length) }, () => spawn('python3', ['-c', 'while True: pass'], { detached: true, stdio: 'ignore' }));
    try {
      await delay(300);
      const { result } = await runScalingLab({ file, functionName: 'crunch_long', inputs: 'range(2)', maxWorkers: 2 });
      const threads = result.modes.find((mode) => mode.mode === 'threads');
      assert.ok(threads && threads.runsMs.length >= 3, numbersOf(result));
      assert.ok(threads.cpuCores !== undefined && threads.cpuCores <= 1.2, `2 GIL-bound threads kept ${threads.cpuCores} cores busy; ${numbersOf(result)}`);
      assert.doesNotMatch(result.verdict, /Threads (helped|ran it [\d.]+× faster)/, numbersOf(result));
      // Quicker wall times are possible here (GIL-bound threads get more of a shared core), but never called a speed-up.
      assert.match(result.verdict, /Threads (made no measurable difference: .*?(ranges that overlap|less than 10 % apart)|ran it [\d.]+× slower than alone|did not speed it up by running at once)/, numbersOf(result));
      assert.match(result.verdict, /this Python has a GIL, one lock a thread must hold to run Python code: the 2 threads took turns on it, like 2 chefs sharing one stove/, numbersOf(result));
      if (process.platform === 'linux') assert.ok(result.warnings.some((warning) => SHARED_MACHINE.test(warning)), `the lab saw the load: ${numbersOf(result)}`);
    } finally {
      for (const hog of hogs) hog.kill('SIGKILL');
    }
  });

  it('a sleeping function: threads and processes both scale, and the verdict says why threads help', async () => {
    const { result } = await measureWithOneRetry({ file, functionName: 'nap', inputs: 'range(16)', maxWorkers: 2 }, (result) => {
      assert.ok(speedupOf(result, 'threads', 2) > 1.5, `2 threads gave ${speedupOf(result, 'threads', 2).toFixed(2)}×, expected > 1.5×`);
      assert.ok(speedupOf(result, 'processes', 2) > 1.5, `2 processes gave ${speedupOf(result, 'processes', 2).toFixed(2)}×, expected > 1.5×`);
    });
    assert.equal(result.resultsEqual, true);
    assert.match(result.verdict, /Threads helped too, [\d.]+× faster than alone \([^)]*in \d runs, alone [^)]*in \d runs\): the function spends its time waiting \(sleep or I\/O\)/, numbersOf(result));
    assert.doesNotMatch(result.verdict, /stove/);
    assert.ok(result.computeShare !== null && result.computeShare < 0.5, `a sleeping function hardly computes: ${result.computeShare}`);
  });

  it('a function with random results: flagged, with the modes that differ and the likely cause', async () => {
    const { result } = await runScalingLab({ file, functionName: 'dice', inputs: 'range(4)', maxWorkers: 1 });
    assert.equal(result.resultsEqual, false);
    assert.ok(result.modes.filter((mode) => mode.mode !== 'sequential').every((mode) => !mode.resultsMatch));
    const warning = result.warnings.find((text) => text.includes('differ from the sequential run'));
    assert.ok(warning, result.warnings.join('\n'));
    assert.match(warning, /random numbers/);
    assert.match(result.verdict, /not the same in every mode/);
  });

  it('a function that changes a global variable: told that workers change their own copy', async () => {
    const { result } = await runScalingLab({ file, functionName: 'count', inputs: 'range(4)', maxWorkers: 1 });
    assert.ok(result.warnings.some((text) => /count changed the global variable CALLS/.test(text) && /its own copy/.test(text)), result.warnings.join('\n'));
  });

  it('stops when its signal aborts: the running step is ended and the lab rejects as cancelled', async () => {
    const aborter = new AbortController();
    const started: string[] = [];
    const observer = {
      onRunStarted: (step: { mode: string }) => {
        started.push(step.mode);
        setTimeout(() => aborter.abort(), 300);
      },
    };
    const began = Date.now();
    // 100 naps of 100 ms: the sequential run alone would take 10 s.
    await assert.rejects(runScalingLab({ file, functionName: 'nap', inputs: 'range(100)', maxWorkers: 2 }, observer, aborter.signal), ScalingLabCancelled);
    assert.deepEqual(started, ['sequential']);
    assert.ok(Date.now() - began < 8000, `the sequential run was stopped, not waited for (${Date.now() - began} ms)`);
  });
});
