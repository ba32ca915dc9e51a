// Lesson 7: threads and asyncio for waiting, processes for computing.

import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { mainOf, numberAfter, runSample } from './lessonSupport';

describe('lesson 7: choosing the tool', function () {
  this.timeout(60_000);

  it('I/O-bound: threads overlap the waits, and the CPU stays idle', async () => {
    const record = await runSample('07-choosing-the-tool/io_threads.py');
    const oneByOne = numberAfter(record.stdout, 'one by one:');
    const threads = numberAfter(record.stdout, 'threads:');
    assert.ok(threads < oneByOne / 3, `threads took ${threads} s, one by one ${oneByOne} s`);
    const cpuMs = mainOf(record).cpuMs ?? Infinity;
    assert.ok(cpuMs < record.durationMs / 2, `waiting used little CPU: ${cpuMs.toFixed(0)} ms in ${record.durationMs.toFixed(0)} ms`);
  });

  it('I/O-bound: asyncio overlaps the waits in one process', async () => {
    const record = await runSample('07-choosing-the-tool/io_asyncio.py');
    // Ten waits of 0.15 s one after the other would take 1.5 s.
    assert.ok(numberAfter(record.stdout, 'asyncio:') < 0.5);
    assert.equal(record.processes.filter((p) => p.traced).length, 1, 'a single Python process');
  });

  it('CPU-bound: processes beat threads', async function () {
    if (os.cpus().length < 2) this.skip();
    this.retries(2); // as in lesson 1: a busy machine can take a core away for a while
    const record = await runSample('07-choosing-the-tool/cpu_processes.py');
    const threads = numberAfter(record.stdout, 'threads:');
    const processes = numberAfter(record.stdout, 'processes:');
    assert.ok(processes < 0.8 * threads, `processes took ${processes} s, threads ${threads} s`);
  });
});
