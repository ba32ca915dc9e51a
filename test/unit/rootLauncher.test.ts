// A run whose root is a launcher (a Windows venv's Scripts\python.exe starts the base
// interpreter as its child): the record and the live view list one main, the real
// interpreter, with the run's exit code, and the launcher as a launcher. Fed the sequence
// Windows produces, through the real tracer-line parser, record builder and its live deltas;
// and the sequences of Linux and macOS runs, which must not change.

import { strict as assert } from 'node:assert';
import type { ObservedProcess } from '../../src/extension/engine/sampling/processReading';
import { RunRecordBuilder } from '../../src/extension/engine/record/recordBuilder';
import type { SamplerTick } from '../../src/extension/engine/sampling/sampler';
import { parseTracerLine } from '../../src/extension/engine/tracer/tracerRecordParser';
import type { ProcessFacts } from '../../src/shared/liveDeltas';
import { processesAsTree } from '../../src/shared/processHierarchy';
import type { ProcessEntry } from '../../src/shared/runRecord';

const HOST = 900;
const VENV_PYTHON = 'C:\\Users\\Zoë\\lab\\.venv\\Scripts\\python.exe';
const BASE_PYTHON = 'C:\\Users\\Zoë\\AppData\\Local\\Programs\\Python\\Python312\\python.exe';
const SAMPLE = 'C:\\Users\\Zoë\\lab\\two_kitchens.py';

/** One step of a run as the engine sees it: a sampler tick, a tracer line, or the root's exit. */
type Step = { tick: SamplerTick } | { line: string } | { rootExit: { pid: number; exitCode: number; t: number } };

function seen(pid: number, ppid: number, command: string, startKey: string): ObservedProcess {
  return { pid, ppid, key: `${pid}@${startKey}`, command, cpu: 0, cpuTimeMs: null, runQueueMs: null, rssBytes: 8 << 20, core: null };
}

function tick(t: number, processes: ObservedProcess[]): { tick: SamplerTick } {
  return { tick: { t, processes, coreUsage: [5, 5], coreRun: null, runTotal: 0 } };
}

function line(record: object): { line: string } {
  return { line: JSON.stringify(record) };
}

// What a spawn run of two_kitchens.py from a Windows venv produces. The launcher (4000) has
// a console host as its first child; the base interpreter (4010) is seen by the sampler
// before its tracer says hello, and its tracer knows the launcher as its parent.
const LAUNCHER = seen(4000, HOST, `${VENV_PYTHON} ${SAMPLE}`, '1');
const CONHOST = seen(4004, 4000, '\\??\\C:\\WINDOWS\\system32\\conhost.exe 0xffffffff -ForceV1', '1');
const INTERPRETER = seen(4010, 4000, `${BASE_PYTHON} ${SAMPLE}`, '2');
const CHILD = seen(4020, 4010, `${BASE_PYTHON} -c "from multiprocessing.spawn import spawn_main; spawn_main(parent_pid=4010, pipe_handle=500)" --multiprocessing-fork`, '3');
const WINDOWS_VENV_RUN: Step[] = [
  tick(0, [LAUNCHER, CONHOST]),
  tick(100, [LAUNCHER, CONHOST, INTERPRETER]),
  line({ type: 'process-start', pid: 4010, ppid: 4000, t: 131.5, role: 'main', name: 'MainProcess', startMethod: 'spawn', cpuMs: 46.9 }),
  line({ type: 'start-method', pid: 4010, method: 'spawn' }),
  tick(200, [LAUNCHER, CONHOST, INTERPRETER, CHILD]),
  line({ type: 'process-start', pid: 4020, ppid: 4010, t: 262, role: 'other', name: 'python -c', cpuMs: 31.2 }),
  line({ type: 'process-role', pid: 4020, role: 'process', name: 'Process-1' }),
  line({ type: 'process-end', pid: 4020, t: 540, exitCode: 0, cpuMs: 250 }),
  line({ type: 'child-exit', pid: 4020, t: 545, exitCode: 0 }),
  tick(600, [LAUNCHER, CONHOST, INTERPRETER]),
  line({ type: 'process-end', pid: 4010, t: 610, exitCode: null, cpuMs: 80 }),
  tick(700, [LAUNCHER, CONHOST]),
  // The launcher exits with the code the learner's program exited with.
  { rootExit: { pid: 4000, exitCode: 3, t: 720 } },
];

function recordOf(root: ObservedProcess, steps: readonly Step[]): ProcessEntry[] {
  const builder = new RunRecordBuilder();
  builder.addRoot(root.pid, HOST, root.command);
  for (const step of steps) {
    if ('tick' in step) builder.applySamplerTick(step.tick);
    else if ('line' in step) builder.applyTracerRecord(parsed(step.line));
    else builder.setRootExit(step.rootExit.pid, step.rootExit.exitCode, step.rootExit.t);
  }
  return builder.finishProcesses(800);
}

/** The processes as the live panel last heard of them: the builder's deltas, drained after each step. */
function liveOf(root: ObservedProcess, steps: readonly Step[]): ProcessFacts[] {
  const builder = new RunRecordBuilder();
  builder.addRoot(root.pid, HOST, root.command);
  const latest = new Map<number, ProcessFacts>();
  for (const step of steps) {
    if ('tick' in step) builder.applySamplerTick(step.tick);
    else if ('line' in step) builder.applyTracerRecord(parsed(step.line));
    else builder.setRootExit(step.rootExit.pid, step.rootExit.exitCode, step.rootExit.t);
    for (const delta of builder.drainChanges()) if (delta.kind === 'process') latest.set(delta.process.index, delta.process);
  }
  return [...latest.values()].sort((a, b) => a.index - b.index);
}

function parsed(text: string): NonNullable<ReturnType<typeof parseTracerLine>> {
  const record = parseTracerLine(text);
  assert.ok(record, `the parser accepts ${text}`);
  return record;
}

function who(p: Pick<ProcessEntry, 'pid' | 'ppid' | 'role' | 'name' | 'traced'>): string {
  return `${p.pid}<-${p.ppid} ${p.role} ${p.name}${p.traced ? ' traced' : ''}`;
}

describe('a run whose root is a launcher', () => {
  it('lists one main, the real interpreter, with the run\'s exit code, under the launcher', () => {
    const processes = recordOf(LAUNCHER, WINDOWS_VENV_RUN);
    const mains = processes.filter((p) => p.role === 'main');
    assert.deepEqual(mains.map((p) => p.pid), [4010]);
    assert.deepEqual({ exitCode: mains[0].exitCode, startMs: mains[0].startMs, endMs: mains[0].endMs }, { exitCode: 3, startMs: 131.5 - 46.9, endMs: 610 });
    const launcher = processes.find((p) => p.pid === 4000);
    assert.deepEqual(
      { role: launcher?.role, name: launcher?.name, command: launcher?.command, startMs: launcher?.startMs, endMs: launcher?.endMs, exitCode: launcher?.exitCode },
      { role: 'other', name: 'launcher', command: `${VENV_PYTHON} ${SAMPLE}`, startMs: 0, endMs: 720, exitCode: 3 },
    );
    // What the learner reads: the launcher at the top, their program under it, its child under that.
    assert.deepEqual(processesAsTree(processes).map(({ process, depth }) => `${depth} ${who(process)}`), [
      `0 4000<-${HOST} other launcher`,
      '1 4004<-4000 other conhost.exe 0xffffffff',
      '1 4010<-4000 main MainProcess traced',
      '2 4020<-4010 process Process-1 traced',
    ]);
  });

  it('shows the same processes live as the record does', () => {
    const beforeExit = WINDOWS_VENV_RUN.filter((step) => !('rootExit' in step));
    const live = liveOf(LAUNCHER, beforeExit).map(who);
    assert.deepEqual(live, recordOf(LAUNCHER, beforeExit).map(who));
    assert.deepEqual(live.filter((p) => / main /.test(p)), ['4010<-4000 main MainProcess traced']);
  });

  it('leaves a Linux or macOS run alone: the root is the main (a pyenv shim execs in place)', () => {
    const root = seen(100, HOST, '/home/zoe/.pyenv/shims/python3 /home/zoe/lab/two_kitchens.py', '1');
    const child = seen(101, 100, '/usr/bin/python3 -c from multiprocessing.spawn import spawn_main', '2');
    // A Python the program starts with subprocess: its tracer calls it `other` (the main marked the environment).
    const helper = seen(102, 100, '/usr/bin/python3 helper.py', '3');
    const run: Step[] = [
      tick(0, [root]),
      line({ type: 'process-start', pid: 100, ppid: HOST, t: 40, role: 'main', name: 'MainProcess', startMethod: 'spawn', cpuMs: 30 }),
      tick(100, [root, child, helper]),
      line({ type: 'process-start', pid: 101, ppid: 100, t: 120, role: 'other', name: 'python -c', cpuMs: 25 }),
      line({ type: 'process-role', pid: 101, role: 'process', name: 'Process-1' }),
      line({ type: 'process-start', pid: 102, ppid: 100, t: 130, role: 'other', name: 'helper.py', cpuMs: 20 }),
      line({ type: 'process-end', pid: 100, t: 500, exitCode: null, cpuMs: 90 }),
      { rootExit: { pid: 100, exitCode: 3, t: 510 } },
    ];
    const processes = recordOf(root, run);
    assert.deepEqual(processes.map(who), [`100<-${HOST} main MainProcess traced`, '101<-100 process Process-1 traced', '102<-100 other helper.py traced']);
    assert.deepEqual([processes[0].startMs, processes[0].exitCode], [0, 3]);
    assert.deepEqual(liveOf(root, run).map(who), processes.map(who));
  });

  it('is not taken for one when the root reported its own start first', () => {
    // A main whose program cleared the tracer's mark before starting another Python: that
    // Python says `main` too, but the root had already said it was the main.
    const root = seen(100, HOST, '/usr/bin/python3 /home/zoe/lab/nested.py', '1');
    const run: Step[] = [
      line({ type: 'process-start', pid: 100, ppid: HOST, t: 40, role: 'main', name: 'MainProcess', cpuMs: 30 }),
      line({ type: 'process-start', pid: 105, ppid: 100, t: 90, role: 'main', name: 'MainProcess', cpuMs: 30 }),
      { rootExit: { pid: 100, exitCode: 0, t: 300 } },
    ];
    const processes = recordOf(root, run);
    assert.deepEqual(processes.map((p) => [p.pid, p.role, p.exitCode]), [[100, 'main', 0], [105, 'main', null]]);
  });

  it('leaves an untraced root (no tracer ever spoke) as the main with the exit code', () => {
    const processes = recordOf(LAUNCHER, [tick(0, [LAUNCHER]), { rootExit: { pid: 4000, exitCode: 1, t: 50 } }]);
    assert.deepEqual(processes.map((p) => [p.pid, p.role, p.name, p.exitCode]), [[4000, 'main', 'MainProcess', 1]]);
  });
});
