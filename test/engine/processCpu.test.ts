// A process's CPU as the learner reads it, on real runs: one shorter than a sampler tick
// still has its CPU time and its mean CPU over its life.

import { strict as assert } from 'node:assert';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { formatSummary } from '../../src/extension/engine/export/summary';
import { processCpu } from '../../src/shared/cpuFigures';
import { writeProgram } from '../helpers/pythonPrograms';

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
    // The start is the child's first reading of the clock less the CPU it had used by then, so
    // a child that waited for a free core between its fork and that reading starts a little
    // late in the record, and a child burning CPU all its life may read a little over 100 %
    // (CI read 100.4 % on 2 busy cores). Twice its real CPU would be far above this bound.
    assert.ok(cpu.meanCpu !== null && cpu.meanCpu >= 20 && cpu.meanCpu <= 110, `its mean CPU over its life: ${cpu.meanCpu} %`);
    const row = formatSummary(record).split('\n').find((line) => /\bprocess\s+Process-1\b/.test(line));
    assert.match(row ?? '', /Process-1\s+[\d.]+ s–[\d.]+ s\s+\d+ %\s+(\d+ %|–)\s+[\d.]+ ms/, `the summary's row: ${row}`);
  });
});
