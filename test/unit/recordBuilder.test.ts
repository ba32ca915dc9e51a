import { strict as assert } from 'node:assert';
import { RunRecordBuilder } from '../../src/extension/engine/record/recordBuilder';
import type { ObservedProcess } from '../../src/extension/engine/sampling/processReading';
import type { SamplerTick } from '../../src/extension/engine/sampling/sampler';

function observed(pid: number, ppid: number, key: string, cpu = 50): ObservedProcess {
  return { pid, ppid, key, command: `python3 -c work ${pid}`, cpu, cpuTimeMs: null, runQueueMs: null, rssBytes: 1000, core: 0 };
}

function tick(t: number, processes: ObservedProcess[]): SamplerTick {
  return { t, processes, coreUsage: [10, 20], coreRun: null, runTotal: 0 };
}

describe('RunRecordBuilder', () => {
  it('merges what the tracer says into the process the sampler found first', () => {
    const builder = new RunRecordBuilder();
    builder.addRoot(100, 1, 'python3 main.py');
    builder.applySamplerTick(tick(100, [observed(100, 1, '100@1'), observed(101, 100, '101@2')]));
    builder.applyTracerRecord({ type: 'process-start', pid: 101, ppid: 100, t: 80, role: 'process', name: 'Process-1' });
    builder.applyTracerRecord({ type: 'process-end', pid: 101, t: 150, exitCode: 0, cpuMs: 40 });
    const processes = builder.finishProcesses(200);
    assert.equal(processes.length, 2);
    const child = processes[1];
    assert.deepEqual(
      { role: child.role, name: child.name, startMs: child.startMs, endMs: child.endMs, exitCode: child.exitCode, cpuMs: child.cpuMs, traced: child.traced },
      { role: 'process', name: 'Process-1', startMs: 80, endMs: 150, exitCode: 0, cpuMs: 40, traced: true },
    );
    assert.equal(child.samples.length, 1);
  });

  it('keeps a reused pid with a new start time as a separate process', () => {
    const builder = new RunRecordBuilder();
    builder.applySamplerTick(tick(100, [observed(200, 1, '200@1')]));
    builder.applySamplerTick(tick(200, [observed(200, 1, '200@9')]));
    const processes = builder.finishProcesses(300);
    assert.equal(processes.length, 2);
    assert.equal(processes[0].endMs, 100, 'the first process ended at its last sample');
    assert.equal(processes[1].startMs, 200);
  });

  it('ends a process the sampler no longer sees, and takes the parent\'s exit code for a killed child', () => {
    const builder = new RunRecordBuilder();
    builder.applyTracerRecord({ type: 'process-start', pid: 300, ppid: 1, t: 5, role: 'process', name: 'Process-1' });
    builder.applySamplerTick(tick(100, [observed(300, 1, '300@1')]));
    builder.applySamplerTick(tick(200, []));
    builder.applyTracerRecord({ type: 'child-exit', pid: 300, t: 210, exitCode: -15 });
    const [child] = builder.finishProcesses(300);
    assert.equal(child.endMs, 200);
    assert.equal(child.exitCode, -15);
    assert.deepEqual(builder.livePids(), []);
  });

  it('marks the record truncated when a cap is hit, and stops growing', () => {
    const builder = new RunRecordBuilder({ processes: 2, samplesPerProcess: 3, coreSamples: 2, threadsPerProcess: 2, samplesPerThread: 3, fastSamplesPerThread: 3 });
    for (let t = 0; t < 5; t++) builder.applySamplerTick(tick(t, [observed(1, 0, '1@1'), observed(2, 0, '2@1'), observed(3, 0, '3@1')]));
    const processes = builder.finishProcesses(10);
    assert.equal(processes.length, 2);
    assert.equal(processes[0].samples.length, 3);
    assert.equal(builder.getCoreSamples().length, 2);
    assert.equal(builder.truncated, true);
  });

  it('keeps each warning once', () => {
    const builder = new RunRecordBuilder();
    builder.applyTracerRecord({ type: 'warning', pid: 1, message: 'Put it under the main guard.' });
    builder.applyTracerRecord({ type: 'warning', pid: 2, message: 'Put it under the main guard.' });
    assert.deepEqual(builder.getWarnings(), ['Put it under the main guard.']);
  });
});
