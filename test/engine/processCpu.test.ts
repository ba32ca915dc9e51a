// A process's CPU as the learner reads it, on real runs: one shorter than a sampler tick
// still has its CPU time and its mean CPU over its life.

import { strict as assert } from 'node:assert';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { formatSummary } from '../../src/extension/engine/export/summary';
import { processCpu } from '../../src/shared/cpuFigures';
import { writeProgram } from '../helpers/pythonPrograms';

/**
 * A single-threaded process cannot use more than all of its life on a core. Its start is its
 * tracer's first clock reading less the CPU it had used by then, read after that clock
 * (runtimes/python/parallel_lab_tracer/lifecycle.py), and its end reads its CPU before the
 * clock, so its CPU never exceeds its lifetime. The margin: both are rounded to whole
 * microseconds (a few thousandths of a percent of a 40 ms life), and the CPU clock (the
 * scheduler's) is not slewed as the monotonic clock may be by NTP (at most 0.05 %).
 */
const MAX_MEAN_CPU = 100.1;

describe("a process's CPU (real processes)", function () {
  this.timeout(60_000);

  it('gives a process shorter than one sample its CPU time and its mean CPU over its life', async () => {
    const file = writeProgram(
      'short_child.py',
      `
      import multiprocessing as mp, time

      def burn():
          end = time.process_time() + 0.04
          while time.process_time() < end:
              pass

      if __name__ == "__main__":
          mp.set_start_method("fork")
          child = mp.Process(target=burn)
          child.start()
          child.join()
          time.sleep(0.5)
      `,
    );
    // Ticks far apart: the child, about 40 ms long, lives between two of them.
    const record = await (await ProfileRun.start({ file, intervalMs: 400 })).finished;
    assert.equal(record.exitCode, 0, record.stderr);
    const child = record.processes.find((p) => p.role === 'process');
    assert.ok(child, 'the child is in the record');
    assert.ok(child.cpuMs !== null && child.cpuMs >= 35, `its CPU time: ${child.cpuMs} ms`);
    const cpu = processCpu(child, record.durationMs);
    assert.ok(cpu.meanCpu !== null && cpu.meanCpu >= 20 && cpu.meanCpu <= MAX_MEAN_CPU, `its mean CPU over its life: ${cpu.meanCpu} %`);
    const row = formatSummary(record).split('\n').find((line) => /\bprocess\s+Process-1\b/.test(line));
    assert.match(row ?? '', /Process-1\s+[\d.]+ s–[\d.]+ s\s+\d+ %\s+(\d+ %|–)\s+[\d.]+ ms/, `the summary's row: ${row}`);
  });

  it('reads at most 100 % for a child that used CPU between its tracer\'s first readings of the two clocks', async () => {
    // After a fork the child's first steps copy the pages it touches, on its CPU. Here that
    // CPU is made long and certain: the first time the child reads its CPU clock, 30 ms of
    // CPU follow, before its tracer reads the time. The CPU clock is read through
    // time.process_time, as the tracer reads it.
    const file = writeProgram(
      'cpu_between_readings.py',
      `
      import multiprocessing as mp, os, time

      read_cpu = time.process_time
      parent = os.getpid()
      burnt = []

      def read_cpu_then_burn():
          value = read_cpu()
          if os.getpid() != parent and not burnt:
              burnt.append(True)
              while read_cpu() < value + 0.03:
                  pass
          return value

      def burn():
          end = read_cpu() + 0.04
          while read_cpu() < end:
              pass

      if __name__ == "__main__":
          mp.set_start_method("fork")
          time.process_time = read_cpu_then_burn
          child = mp.Process(target=burn)
          child.start()
          child.join()
          time.sleep(0.3)
      `,
    );
    const record = await (await ProfileRun.start({ file, intervalMs: 400 })).finished;
    assert.equal(record.exitCode, 0, record.stderr);
    const child = record.processes.find((p) => p.role === 'process');
    assert.ok(child?.cpuMs != null && child.cpuMs >= 65, `its CPU time, the 30 ms between the readings and the 40 ms of its work: ${child?.cpuMs} ms`);
    const cpu = processCpu(child, record.durationMs);
    assert.ok(cpu.meanCpu !== null && cpu.meanCpu <= MAX_MEAN_CPU, `its mean CPU over its life: ${cpu.meanCpu} %`);
  });
});
