// The live panel shows what the finished record shows: every delta of a run, applied in order
// with the webview's own applyDeltas, builds the record that the run ends with, apart from
// the few fields listed in NOT_LIVE, which the panel takes from the finished record.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { applyDeltas, emptyLiveRecord, type LiveDelta } from '../../src/shared/liveDeltas';
import type { ProcessEntry, RunRecord, StartMethod } from '../../src/shared/runRecord';
import { isFastSample } from '../../src/shared/threadShares';
import { RunRecordBuilder } from '../../src/extension/engine/record/recordBuilder';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import type { ObservedProcess, ObservedThread } from '../../src/extension/engine/sampling/processReading';
import type { SamplerTick } from '../../src/extension/engine/sampling/sampler';
import type { TracerRecord } from '../../src/extension/engine/tracer/tracerProtocol';
import { SAMPLES_DIR, writeProgram } from '../helpers/pythonPrograms';
import { withEventArray } from '../helpers/records';

/**
 * Fields of the record that no delta carries, and why. The panel replaces the live view with
 * the finished record as soon as the run ends, and reads these from it.
 */
const NOT_LIVE: Record<string, string> = {
  // Known only at the end.
  outcome: 'exited, stopped or timed out: decided when the run ends',
  exitSignal: 'known when the runner reaps the main process, after the last tracer record',
  durationMs: 'the record ends at the main process\'s exit; live, the axis grows to the latest time seen, up to the state "finished", which comes later',
  truncated: 'whether any cap (output, processes, samples, events) was hit is summed up at the end',
  stdoutTruncated: 'the runner caps the output it keeps for the record; live output is not capped',
  stderrTruncated: 'as stdoutTruncated',
  events: 'the event server\'s counts, read once its socket is drained at the end',
  // Known earlier, but not shown while the run goes: no delta carries them.
  startMethod: 'reported by the main process at its start; no live view shows it',
};

/** A profiled run with every delta the host would send, JSON-copied as postMessage copies them. */
async function profileLive(file: string, startMethod?: StartMethod): Promise<{ live: RunRecord; finished: RunRecord; batches: LiveDelta[][] }> {
  const run = await ProfileRun.start({ file, startMethod, intervalMs: 100, timeoutMs: 30_000, live: true });
  const live = emptyLiveRecord(run.liveStart());
  const batches: LiveDelta[][] = [];
  const send = (): void => {
    const batch = run.drainLiveDeltas();
    batches.push(batch);
    applyDeltas(live, JSON.parse(JSON.stringify(batch)) as LiveDelta[]);
  };
  const timer = setInterval(send, 100);
  const record = await run.finished;
  clearInterval(timer);
  send();
  assert.ok(batches.length > 1, 'the run was seen in more than one batch');
  return { live, finished: JSON.parse(JSON.stringify(withEventArray(record))) as RunRecord, batches };
}

function assertLiveEqualsFinished(live: RunRecord, finished: RunRecord): void {
  for (const field of Object.keys(finished) as Array<keyof RunRecord>) {
    if (field in NOT_LIVE) continue;
    assert.deepEqual(live[field], finished[field], `live and finished ${field}`);
  }
}

const SAMPLES: Array<{ file: string; startMethod?: StartMethod; shows: (record: RunRecord) => boolean }> = [
  { file: '02-creating-processes/two_kitchens.py', shows: (r) => r.processes.filter((p) => p.role === 'process').length === 2 },
  { file: '02-creating-processes/family_tree.py', shows: (r) => r.processes.length > 2 },
  { file: '03-talking-between-kitchens/queue_result.py', shows: (r) => r.ipcEvents.some((e) => e.message !== undefined) },
  { file: '03-talking-between-kitchens/copies_not_shared.py', shows: (r) => r.processes.length > 1 },
  { file: '04-sharing-memory/counter.py', shows: (r) => r.lockEvents.length >= 10 },
  { file: '04-sharing-memory/lost_update.py', shows: (r) => r.lockEvents.length > 0 },
  { file: '05-pools/submit_as_completed.py', shows: (r) => r.tasks.some((t) => t.submitMs !== undefined) },
  { file: '05-pools/map_chunksize.py', shows: (r) => r.tasks.some((t) => t.submitMs !== undefined) },
];

describe('a live run equals its finished record', function () {
  this.timeout(90_000);

  for (const sample of SAMPLES) {
    it(`for ${sample.file}`, async () => {
      const { live, finished } = await profileLive(path.join(SAMPLES_DIR, sample.file), sample.startMethod);
      assert.equal(finished.exitCode, 0, finished.stderr);
      assert.ok(sample.shows(finished), 'the run has what this sample is here for');
      assertLiveEqualsFinished(live, finished);
    });
  }

  it('for a semaphore acquired in a child and released by its parent', async () => {
    const file = writeProgram('cross_release.py', `
      import multiprocessing as mp
      import time

      def take(sem, taken):
          sem.acquire()
          taken.set()

      if __name__ == "__main__":
          sem = mp.Semaphore(1)
          taken = mp.Event()
          child = mp.Process(target=take, args=(sem, taken))
          child.start()
          taken.wait()
          child.join()
          time.sleep(0.3)
          sem.release()
          # The tracer sends a batch when a later record finds it old, or before a fork: a
          # fork here sends the release now, not at the exit half a second later.
          flusher = mp.Process(target=time.sleep, args=(0,))
          flusher.start()
          flusher.join()
          time.sleep(0.5)
          with sem:
              pass
    `);
    const { live, finished, batches } = await profileLive(file, 'fork');
    assert.equal(finished.exitCode, 0, finished.stderr);
    assert.ok(finished.lockEvents.some((e) => e.releasedBy !== undefined), `a release by another process: ${JSON.stringify(finished.lockEvents)}`);
    assertLiveEqualsFinished(live, finished);
    // Shown while the program still ran (it sleeps after the release), not only at the end.
    const batchOf = (found: (delta: LiveDelta) => boolean): number => batches.findIndex((batch) => batch.some(found));
    const released = batchOf((d) => d.kind === 'lock-events' && d.events.some((e) => e.releasedBy !== undefined));
    const finishing = batchOf((d) => d.kind === 'state' && d.state === 'finishing');
    assert.ok(released >= 0 && released < finishing, `the release in batch ${released}, the run finishing in batch ${finishing}`);
  });

  it('for threads in the main process and in a fork child', async () => {
    const file = writeProgram('threads.py', `
      import multiprocessing as mp
      import threading
      import time

      def cook(seconds):
          end = time.perf_counter() + seconds
          while time.perf_counter() < end:
              pass

      def kitchen():
          helpers = [threading.Thread(name="helper-%d" % i, target=cook, args=(0.2,)) for i in range(2)]
          for helper in helpers:
              helper.start()
          for helper in helpers:
              helper.join()

      if __name__ == "__main__":
          chefs = [threading.Thread(name="chef-%d" % i, target=cook, args=(0.3 * i,)) for i in (1, 2)]
          for chef in chefs:
              chef.start()
          child = mp.Process(target=kitchen)
          child.start()
          child.join()
          for chef in chefs:
              chef.join()
    `);
    const { live, finished, batches } = await profileLive(file, 'fork');
    assert.equal(finished.exitCode, 0, finished.stderr);
    const names = finished.processes.map((p) => (p.threads ?? []).map((t) => t.name));
    assert.deepEqual(names.slice(0, 2), [['MainThread', 'chef-1', 'chef-2'], ['MainThread', 'helper-0', 'helper-1']], JSON.stringify(names));
    assert.ok(finished.processes[0].threads?.some((t) => t.samples.length > 1), 'the threads were sampled');
    // The chefs fight over the GIL: their samples come at the fast rate too, and reach the panel as well.
    const readFast = (p: ProcessEntry): boolean => (p.threads ?? []).filter((t) => t.samples.some(isFastSample)).length >= 2;
    assert.ok(readFast(finished.processes[0]) && readFast(finished.processes[1]), 'the threads of both processes were read fast');
    assertLiveEqualsFinished(live, finished);
    // Shown while the program still ran, not only at the end.
    const named = batches.findIndex((batch) => batch.some((d) => d.kind === 'thread' && d.thread.name === 'chef-2'));
    const finishing = batches.findIndex((batch) => batch.some((d) => d.kind === 'state' && d.state === 'finishing'));
    assert.ok(named >= 0 && named < finishing, `chef-2 named in batch ${named}, the run finishing in batch ${finishing}`);
  });

  // A worker killed in its task while the main process goes on: the failed task and its
  // warning are shown once the worker's end is seen, not when the run ends.
  const CRASHING_POOLS = {
    ProcessPoolExecutor: `
      import os, signal, time
      from concurrent.futures import ProcessPoolExecutor
      from concurrent.futures.process import BrokenProcessPool

      def job(x):
          if x == 2:
              os.kill(os.getpid(), signal.SIGKILL)
          return x * 10

      if __name__ == "__main__":
          with ProcessPoolExecutor(2) as executor:
              print(executor.submit(job, 1).result(), flush=True)
              try:
                  executor.submit(job, 2).result()
              except BrokenProcessPool:
                  print("the pool broke", flush=True)
          time.sleep(1.5)
    `,
    Pool: `
      import multiprocessing as mp, os, time

      def job(x):
          if x == 2:
              os._exit(1)
          return x * 10

      if __name__ == "__main__":
          with mp.Pool(2) as pool:
              print(pool.apply_async(job, (1,)).get(), flush=True)
              try:
                  pool.apply_async(job, (2,)).get(timeout=1)
              except mp.TimeoutError:
                  print("job(2) never returned", flush=True)
              time.sleep(1)
    `,
  };
  for (const [pool, source] of Object.entries(CRASHING_POOLS)) {
    it(`for a ${pool} worker that dies in its task while the program goes on, showing the failed task before the run ends`, async () => {
      const { live, finished, batches } = await profileLive(writeProgram('crash_then_sleep.py', source));
      assert.equal(finished.exitCode, 0, finished.stderr);
      const failed = finished.tasks.filter((t) => !t.ok);
      assert.equal(failed.length, 1, JSON.stringify(finished.tasks));
      const warning = finished.warnings.find((w) => w.startsWith(`The worker ${failed[0].pid} running job(2) `));
      assert.ok(warning, JSON.stringify(finished.warnings));
      assertLiveEqualsFinished(live, finished);
      const batchOf = (found: (delta: LiveDelta) => boolean): number => batches.findIndex((batch) => batch.some(found));
      const shown = batchOf((d) => d.kind === 'tasks' && d.tasks.some((t) => !t.ok));
      const warned = batchOf((d) => d.kind === 'warning' && d.message === warning);
      const finishing = batchOf((d) => d.kind === 'state' && d.state === 'finishing');
      assert.ok(shown >= 0 && shown === warned, `the task in batch ${shown}, its warning in batch ${warned}`);
      // The program sleeps a second after the crash: ten batches or so.
      assert.ok(finishing - shown >= 5, `the failed task in batch ${shown}, the run finishing in batch ${finishing}`);
    });
  }
});

// ---- Fed to the host by hand: cases a real run makes only by chance ---------------------

function observed(pid: number, key: string, threads?: ObservedThread[]): ObservedProcess {
  return { pid, ppid: 100, key, command: `python3 -c work ${pid}`, cpu: 50, cpuTimeMs: 10, runQueueMs: null, rssBytes: 1000, core: 0, ...(threads ? { threads } : {}) };
}

function thread(tid: number, key: string, cpuTimeMs: number): ObservedThread {
  return { tid, key, name: 'python3', cpu: 40, state: 'running', ranMs: 40, coreWaitMs: 0, waitingMs: 60, cpuTimeMs };
}

function tick(t: number, processes: ObservedProcess[]): SamplerTick {
  return { t, processes, coreUsage: [10, 20], coreRun: [5, 5], runTotal: 10 };
}

/**
 * What the run tells the record builder, each followed by a drain unless `drain` is false
 * (inputs that arrive together, between two drains). `connection`: the event server opened a
 * connection of that pid, or read all of its lines.
 */
type Input = ({ tick: SamplerTick } | { tracer: TracerRecord } | { connection: 'opened' | 'read'; pid: number } | { stop: true }) & { drain?: false };

/** Feeds inputs to a record builder, and its changes, drained after each, to a live record. */
function liveAndRecord(inputs: readonly Input[]): { live: RunRecord; builder: RunRecordBuilder } {
  const builder = new RunRecordBuilder();
  builder.addRoot(100, 1, 'python3 main.py');
  const live = emptyLiveRecord({ file: 'main.py', argv: [], python: { executable: 'python3', version: '3.11.7' }, cores: 2, startedAt: '' });
  for (const input of inputs) {
    if ('tick' in input) builder.applySamplerTick(input.tick);
    else if ('tracer' in input) builder.applyTracerRecord(input.tracer);
    else if ('connection' in input) {
      if (input.connection === 'opened') builder.connectionOpened(input.pid);
      else builder.connectionRead(input.pid);
    } else builder.stopBegan();
    if (input.drain !== false) applyDeltas(live, JSON.parse(JSON.stringify(builder.drainChanges())) as LiveDelta[]);
  }
  return { live, builder };
}

const START_101: TracerRecord = { type: 'process-start', pid: 101, ppid: 100, t: 50, role: 'process', name: 'Process-1' };

describe('the live processes are the record\'s', () => {
  it('a pid that ends and comes back with another start time is two processes, live as at the end', () => {
    const { live, builder } = liveAndRecord([
      { tick: tick(100, [observed(100, '100@1'), observed(200, '200@5')]) },
      { tick: tick(200, [observed(100, '100@1')]) },
      { tick: tick(300, [observed(100, '100@1'), observed(200, '200@9')]) },
      { tick: tick(400, [observed(100, '100@1'), observed(200, '200@9')]) },
    ]);
    const finished = JSON.parse(JSON.stringify(builder.finishProcesses(500))) as RunRecord['processes'];
    assert.deepEqual(finished.map((p) => p.pid), [100, 200, 200]);
    // The last tick's processes are closed at the end only.
    const open = (p: RunRecord['processes'][number]): RunRecord['processes'][number] => ({ ...p, endMs: p.endMs === 500 ? null : p.endMs });
    assert.deepEqual(live.processes, finished.map(open));
  });

  it('a pid the sampler saw within one tick of its earlier process ending is still a new process', () => {
    // No tick without it between the two: only the start time tells them apart.
    const { live, builder } = liveAndRecord([
      { tick: tick(100, [observed(100, '100@1'), observed(200, '200@5')]) },
      { tick: tick(200, [observed(100, '100@1'), observed(200, '200@9')]) },
    ]);
    const finished = JSON.parse(JSON.stringify(builder.finishProcesses(300))) as RunRecord['processes'];
    assert.deepEqual(finished.map((p) => [p.pid, p.startMs, p.endMs]), [[100, 0, 300], [200, 100, 100], [200, 200, 300]]);
    assert.deepEqual(live.processes.map((p) => [p.pid, p.startMs, p.endMs]), [[100, 0, null], [200, 100, 100], [200, 200, null]]);
  });

  it('an ended process the sampler found, then reported by its tracer, stays one process', () => {
    const { live, builder } = liveAndRecord([
      { tick: tick(100, [observed(100, '100@1'), observed(101, '101@2')]) },
      { tick: tick(200, [observed(100, '100@1')]) },
      { tracer: START_101 },
      { tracer: { type: 'process-end', pid: 101, t: 180, exitCode: 0, cpuMs: 40 } },
    ]);
    const finished = JSON.parse(JSON.stringify(builder.finishProcesses(300))) as RunRecord['processes'];
    assert.equal(finished.length, 2);
    assert.deepEqual(live.processes.map((p) => [p.pid, p.name, p.traced, p.startMs, p.endMs]), [[100, 'MainProcess', false, 0, null], [101, 'Process-1', true, 50, 180]]);
    assert.deepEqual(live.processes[1], finished[1]);
  });
});

describe('the live threads are the record\'s', () => {
  it('threads the sampler read before the tracer named them, one that only the sampler saw, and ends corrected with their process', () => {
    const { live, builder } = liveAndRecord([
      { tick: tick(100, [observed(100, '100@1', [thread(100, '100@1', 5), thread(107, '107@3', 1)])]) },
      { tracer: { type: 'process-start', pid: 100, ppid: 1, t: 20, role: 'main', name: 'MainProcess', cpuMs: 15, tid: 100, threadName: 'MainThread' } },
      { tracer: { type: 'thread-batch', pid: 100, events: [[107, 'chef-1', 90, null, null]] } },
      // A thread Python did not start, there for one tick.
      { tick: tick(200, [observed(100, '100@1', [thread(100, '100@1', 9), thread(107, '107@3', 30), thread(108, '108@4', 2)])]) },
      { tick: tick(300, [observed(100, '100@1', [thread(100, '100@1', 12), thread(107, '107@3', 60)])]) },
      { tracer: { type: 'thread-batch', pid: 100, events: [[107, 'chef-one', 90, 310, 61.5]] } },
      // The sampler misses the process first; then its own end, earlier, arrives.
      { tick: tick(400, []) },
      { tracer: { type: 'process-end', pid: 100, t: 350, exitCode: null, cpuMs: 80 } },
    ]);
    const finished = JSON.parse(JSON.stringify(builder.finishProcesses(500))) as RunRecord['processes'];
    applyDeltas(live, JSON.parse(JSON.stringify(builder.drainChanges())) as LiveDelta[]);
    assert.deepEqual(live.processes, finished);
    const threads = finished[0].threads ?? [];
    assert.deepEqual(
      threads.map((t) => [t.tid, t.name, t.python, t.startMs, t.endMs, t.cpuMs, t.samples.length]),
      [[100, 'MainThread', true, 0, 350, 12, 3], [107, 'chef-one', true, 90, 310, 61.5, 3], [108, 'python3', false, 200, 300, 2, 1]],
    );
  });
});

describe('what the finished record joins across processes is live before the run ends', () => {
  const site = (pid: number): TracerRecord => ({ type: 'site', pid, id: 1, file: '/x/main.py', line: 7, function: 'work' });

  it('a lock released by another process than the one that acquired it', () => {
    const { live } = liveAndRecord([
      { tracer: START_101 },
      { tracer: site(101) },
      { tracer: { type: 'lock-new', pid: 100, lock: 'sem', kind: 'Semaphore', api: 'Semaphore', internal: false, site: null } },
      { tracer: { type: 'lock-batch', pid: 101, events: [[7, 'sem', 60, 61, null, 1]] } },
      { tracer: { type: 'lock-release', pid: 100, events: [[1, 'sem', 90, null]] } },
    ]);
    assert.deepEqual(live.lockEvents.map((e) => [e.pid, e.acquiredMs, e.releasedMs, e.releasedBy]), [[101, 61, 90, 100]]);
  });

  it('a message with the receipt that took it, and a pool task with its submit time', () => {
    const { live } = liveAndRecord([
      { tracer: START_101 },
      { tracer: { type: 'channel-new', pid: 100, channel: 'q', kind: 'queue', api: 'Queue', internal: false, site: null } },
      { tracer: { type: 'ipc-batch', pid: 100, events: [['put', 'q', 0, 70, 0, 40, null]] } },
      { tracer: { type: 'ipc-batch', pid: 101, events: [['get', 'q', 0, 75, 5, 40, null]] } },
      { tracer: { type: 'task-batch', pid: 101, events: [['100:0', 'square', 1, 80, 90, true, null, '100:0:0:0']] } },
      { tracer: site(100) },
      { tracer: { type: 'task-submit', pid: 100, events: [['100:0:0:0', 65, 1]] } },
    ]);
    assert.deepEqual(live.ipcEvents.map((e) => [e.op, e.message]), [['put', 'q#0'], ['get', 'q#0']]);
    assert.deepEqual(live.tasks.map((t) => [t.fn, t.submitMs, t.site?.line]), [['square', 65, 7]]);
  });
});

describe('a pool task whose worker died is live once the worker has told all it will', () => {
  /** Worker `pid` of pool E, a ProcessPoolExecutor, takes job(`x`) and its connection stays open. */
  const takes = (pid: number, x: number, startMs: number): Input[] => [
    { tracer: { type: 'process-start', pid, ppid: 100, t: 10, role: 'pool-worker', name: `Worker-${pid}` } },
    { connection: 'opened', pid },
    { tracer: { type: 'task-start', pid, events: [['E', 'ProcessPoolExecutor', 'job', 1, startMs, `E:${x}`, `job(${x})`]] } },
  ];
  const exit = (pid: number, t: number, exitCode: number): Input => ({ tracer: { type: 'child-exit', pid, t, exitCode } });

  /** The record as it ends: the builder finished as ProfileRun finishes it, the deltas after that applied. */
  function finish(builder: RunRecordBuilder, live: RunRecord, stopped = false): Pick<RunRecord, 'tasks' | 'warnings'> {
    builder.finishTasks(500, stopped);
    const { tasks } = builder.finishActivity();
    applyDeltas(live, JSON.parse(JSON.stringify(builder.drainChanges())) as LiveDelta[]);
    return JSON.parse(JSON.stringify({ tasks, warnings: builder.getWarnings() })) as Pick<RunRecord, 'tasks' | 'warnings'>;
  }

  it('waits for every line of the worker to be read, then shows the task and its warning at once', () => {
    const early = liveAndRecord([...takes(101, 2, 20), exit(101, 40, 1)]);
    assert.deepEqual(early.live.tasks, [], 'its exit is known, but the end of its task may still be in its spool');
    const { live, builder } = liveAndRecord([...takes(101, 2, 20), exit(101, 40, 1), { connection: 'read', pid: 101 }]);
    assert.deepEqual(live.tasks.map((t) => [t.pid, t.ok, t.startMs, t.endMs, t.workerExitCode]), [[101, false, 20, 40, 1]]);
    assert.deepEqual(live.warnings, [
      'The worker 101 running job(2) died with exit code 1 (os._exit or a crash), so the pool broke and every pending future failed (BrokenProcessPool).',
    ]);
    const finished = finish(builder, live);
    assert.deepEqual(live.tasks, finished.tasks);
    assert.deepEqual(live.warnings, finished.warnings);
  });

  it('waits for the exit code, which the warning needs', () => {
    const { live } = liveAndRecord([...takes(101, 2, 20), { connection: 'read', pid: 101 }]);
    assert.deepEqual(live.tasks, []);
    assert.deepEqual(live.warnings, []);
  });

  it("decides a pool's dead workers together, in the order they ended: the first broke the pool", () => {
    // Worker 101 is killed in job(2), and the sampler sees it gone; the executor then ends
    // worker 102, busy with job(3). The parent reports 102's exit first.
    const pids = (...list: number[]): ObservedProcess[] => list.map((pid) => observed(pid, `${pid}@1`));
    const inputs: Input[] = [
      ...takes(101, 2, 20),
      ...takes(102, 3, 22),
      { tick: tick(30, pids(100, 101, 102)) },
      { tick: tick(40, pids(100, 102)) },
      { connection: 'read', pid: 101 },
      exit(102, 45, -15),
      { connection: 'read', pid: 102 },
    ];
    assert.deepEqual(liveAndRecord(inputs).live.tasks, [], "102's end is known, but not yet how 101, which ended before it, ended");
    const { live, builder } = liveAndRecord([...inputs, exit(101, 46, -9)]);
    assert.deepEqual(live.tasks.map((t) => [t.pid, t.endMs, t.workerExitCode]), [[101, 40, -9], [102, 45, -15]]);
    assert.deepEqual(live.warnings, [
      'The worker 101 running job(2) was killed by signal 9 (SIGKILL), so the pool broke and every pending future failed (BrokenProcessPool). ' +
        "SIGKILL is what Linux's out-of-memory killer sends when the machine runs out of memory, so the task may have needed more memory than there was; a kill -9 sends it too.",
      'The worker 102 running job(3) was killed by signal 15 (SIGTERM, ended from outside) after the pool had broken: ProcessPoolExecutor then ends its other workers, so this task did not finish either.',
    ]);
    const finished = finish(builder, live);
    assert.deepEqual(live.tasks, finished.tasks);
    assert.deepEqual(live.warnings, finished.warnings);
  });

  it('leaves the tasks of workers that die once the run is being stopped to its end, which says the stop ended them', () => {
    const { live, builder } = liveAndRecord([...takes(101, 2, 20), { stop: true }, exit(101, 40, -15), { connection: 'read', pid: 101 }]);
    assert.deepEqual(live.tasks, []);
    const finished = finish(builder, live, true);
    assert.deepEqual(finished.warnings, ['Parallel Lab stopped the run while worker 101 was running job(2), so that task did not finish.']);
    assert.deepEqual(live.tasks, finished.tasks);
    assert.deepEqual(live.warnings, finished.warnings);
  });
});
