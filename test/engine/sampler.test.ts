// The sampler and the process-tree helpers on real processes (Linux: these read /proc).

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { LinuxProcessTable } from '../../src/extension/engine/sampling/linux/linuxProcessTable';
import { parseLastPid } from '../../src/extension/engine/sampling/linux/linuxProcStat';
import type { ObservedProcess } from '../../src/extension/engine/sampling/processReading';
import { PROCESS_SOURCE_ENV } from '../../src/extension/engine/sampling/processSource';
import { isProcessAlive, signalProcessTree } from '../../src/extension/engine/run/processTree';
import { findDescendants } from '../helpers/descendants';
import { PidusageMeter, type ProcessUsage } from '../../src/extension/engine/sampling/listing/processUsage';
import { RunClock } from '../../src/extension/engine/run/runClock';
import { Sampler, type SamplerTick } from '../../src/extension/engine/sampling/sampler';

interface PythonRun {
  child: ChildProcess;
  pid: number;
  /** The next line the program prints. */
  nextLine(): Promise<string>;
  exited: Promise<void>;
}

/** Starts `python3 -c source` as the leader of its own process group, as the runner does. */
function startPython(source: string): PythonRun {
  const child = spawn('python3', ['-c', source], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  started.push(child);
  return {
    child,
    pid: child.pid!,
    nextLine: async () => {
      const next = await lines.next();
      assert.ok(!next.done, 'the program ended before printing the expected line');
      return next.value;
    },
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
}

const started: ChildProcess[] = [];

/** Kills what a test started and left running, with its whole tree. */
async function endStartedPrograms(): Promise<void> {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const tree = await findDescendants(child.pid);
      await signalProcessTree(child.pid, tree.map(({ pid }) => pid), 'SIGKILL');
    }
  }
}

function collectTicks(rootPid: number, extraPids?: () => number[]): { sampler: Sampler; ticks: SamplerTick[] } {
  const ticks: SamplerTick[] = [];
  const sampler = new Sampler({ rootPid, intervalMs: 100, clock: new RunClock(), onTick: (tick) => ticks.push(tick), extraPids });
  sampler.start();
  return { sampler, ticks };
}

function samplesOf(ticks: SamplerTick[], pid: number): ObservedProcess[] {
  return ticks.flatMap((tick) => tick.processes.filter((process) => process.pid === pid));
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await delay(20);
  }
}

/** The two ways of finding and measuring processes; the listing is macOS's and Windows's. */
const PROCESS_SOURCES = [
  { name: 'Linux process table', listing: false },
  { name: 'process listing + pidusage (as on macOS and Windows)', listing: true },
] as const;

for (const source of PROCESS_SOURCES) describe(`sampler on the ${source.name} (real processes)`, function () {
  before(() => {
    if (source.listing) process.env[PROCESS_SOURCE_ENV] = 'listing';
  });
  after(() => delete process.env[PROCESS_SOURCE_ENV]);
  afterEach(endStartedPrograms);

  it('samples two CPU-bound children: CPU, last core, and both cores busy', async function () {
    const run = startPython(`
import multiprocessing as mp, time
def burn():
    end = time.monotonic() + 2.5
    while time.monotonic() < end:
        pass
if __name__ == "__main__":
    mp.set_start_method("fork")
    children = [mp.Process(target=burn) for _ in range(2)]
    for c in children: c.start()
    print(" ".join(str(c.pid) for c in children), flush=True)
    for c in children: c.join()
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const childPids = (await run.nextLine()).split(' ').map(Number);
    await run.exited;
    await sampler.stop();

    const root = samplesOf(ticks, run.pid);
    assert.ok(root.length > 0, 'the root is sampled');
    for (const pid of childPids) {
      const samples = samplesOf(ticks, pid);
      assert.ok(samples.length >= 10, `child ${pid} has ${samples.length} samples`);
      assert.ok(samples.every((s) => s.ppid === run.pid), 'the child names the root as its parent');
      // The first sample of a process has no earlier reading to compare with.
      const cpu = mean(samples.slice(1).map((s) => s.cpu));
      assert.ok(cpu >= 60, `child ${pid} mean CPU ${cpu.toFixed(1)} % of one core`);
      if (source.listing) assert.ok(samples.every((s) => s.core === null), 'no core where the platform does not say');
      else assert.ok(samples.every((s) => Number.isInteger(s.core) && s.core! >= 0 && s.core! < 2), 'a core on every sample');
      assert.ok(samples.every((s) => s.rssBytes > 1_000_000), `resident memory in bytes: ${samples.map((s) => s.rssBytes).join(' ')}`);
      assert.ok(samples.at(-1)!.cpuTimeMs! >= 1000, `child ${pid} used ${samples.at(-1)!.cpuTimeMs} ms of CPU`);
    }
    assert.deepEqual(ticks[0].coreUsage, [], 'no core usage before a second reading');
    const bothBusy = ticks.filter((tick) => childPids.every((pid) => samplesOf([tick], pid).length > 0)).slice(1);
    assert.ok(bothBusy.length >= 10, `${bothBusy.length} ticks with both children`);
    for (const core of [0, 1]) {
      const busy = mean(bothBusy.map((tick) => tick.coreUsage[core]));
      assert.ok(busy >= 60, `core ${core} was ${busy.toFixed(1)} % busy`);
      if (!source.listing) {
        const ours = mean(bothBusy.map((tick) => tick.coreRun![core]));
        assert.ok(ours >= 50, `core ${core} was ${ours.toFixed(1)} % busy with the run`);
      }
    }
    const runCores = mean(bothBusy.map((tick) => tick.runTotal)) / 100;
    assert.ok(runCores >= 1.2, `the run's own work: ${runCores.toFixed(2)} cores`);
    assert.ok(ticks.every((tick, i) => i === 0 || tick.t > ticks[i - 1].t), 'ticks in time order');
  });

  it('finds a grandchild started through subprocess, with its command', async function () {
    const run = startPython(`
import subprocess, sys
middle = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; p = subprocess.Popen(['sleep', '1.5']); print(p.pid, flush=True); p.wait()"])
middle.wait()
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const grandchild = Number(await run.nextLine());
    await run.exited;
    await sampler.stop();
    const samples = samplesOf(ticks, grandchild);
    assert.ok(samples.length >= 5, `grandchild sampled ${samples.length} times`);
    assert.equal(samples.at(-1)!.command, 'sleep 1.5');
    const middle = samples[0].ppid;
    assert.ok(samplesOf(ticks, middle).some((s) => s.ppid === run.pid), 'its parent is the root\'s child');
  });

  // A listing takes longer than the 2 ms ticks this needs.
  if (!source.listing) it('keeps a process\'s command while it exits (its arguments are gone by then)', async function () {
    const run = startPython(`
import subprocess
for _ in range(100):
    subprocess.run(["sleep", "0.02"])
`);
    const ticks: SamplerTick[] = [];
    // Ticks 2 ms apart, to land in the exits: an exiting process shows no argument address.
    const sampler = new Sampler({ rootPid: run.pid, intervalMs: 2, clock: new RunClock(), onTick: (tick) => ticks.push(tick) });
    sampler.start();
    await run.exited;
    await sampler.stop();
    const commandsByKey = new Map<string, string[]>();
    for (const observed of ticks.flatMap((tick) => tick.processes)) {
      commandsByKey.set(observed.key, [...(commandsByKey.get(observed.key) ?? []), observed.command]);
    }
    const sleeps = [...commandsByKey.values()].filter((commands) => commands.includes('sleep 0.02'));
    assert.ok(sleeps.length >= 50, `${sleeps.length} sleeps sampled`);
    for (const commands of sleeps) {
      // Before its exec a child shows its parent's command; once it showed its own, it keeps it.
      const after = commands.slice(commands.indexOf('sleep 0.02'));
      assert.deepEqual(after.filter((command) => command !== 'sleep 0.02'), [], 'the command after the exec');
    }
  });

  it('stops sampling a child once it exits, though its parent has not waited for it (a zombie)', async function () {
    const run = startPython(`
import os, sys, time
child = os.fork()
if child == 0:
    sys.stdin.readline()
    os._exit(0)
print(child, flush=True)
time.sleep(2.5)
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const child = Number(await run.nextLine());
    await waitUntil(() => samplesOf(ticks, child).length >= 3, 'the child is sampled');
    run.child.stdin!.write('\n');
    await waitUntil(() => !isProcessAlive(child), 'the child exited');
    const exitedAt = ticks.length;
    await delay(800);
    await sampler.stop();
    const afterExit = ticks.slice(exitedAt + 1).flatMap((tick) => tick.processes.filter((p) => p.pid === child));
    assert.deepEqual(afterExit.map((p) => `rss ${p.rssBytes}`), [], 'no sample of the exited child');
    assert.ok(ticks.slice(exitedAt + 1).every((tick) => tick.processes.some((p) => p.pid === run.pid)), 'its parent is still sampled');
  });

  it('keeps sampling an orphan after its parent exits and it is re-parented', async function () {
    const run = startPython(`
import os, time
middle = os.fork()
if middle == 0:
    orphan = os.fork()
    if orphan == 0:
        time.sleep(3)
        os._exit(0)
    print(os.getpid(), orphan, flush=True)
    time.sleep(0.8)
    os._exit(0)
os.waitpid(middle, 0)
print("middle exited", flush=True)
time.sleep(2)
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const [middle, orphan] = (await run.nextLine()).split(' ').map(Number);
    await run.nextLine();
    await delay(600);
    const tree = await findDescendants(run.pid);
    assert.ok(!tree.some((p) => p.pid === orphan), 'the orphan left the root\'s tree');
    await sampler.stop();
    const samples = samplesOf(ticks, orphan);
    assert.ok(samples.some((s) => s.ppid === middle), 'seen under its parent first');
    const reparented = samples.filter((s) => s.ppid !== middle);
    assert.ok(reparented.length >= 3, `sampled ${reparented.length} times after re-parenting`);
  });

  it('samples a process the tracer reported that the tree walk cannot reach (extraPids)', async function () {
    const run = startPython(`
import os, time
middle = os.fork()
if middle == 0:
    if os.fork() == 0:
        print(os.getpid(), flush=True)
        time.sleep(3)
        os._exit(0)
    os._exit(0)
os.waitpid(middle, 0)
time.sleep(2.5)
`);
    const daemon = Number(await run.nextLine());
    await delay(300);
    const tree = await findDescendants(run.pid);
    assert.deepEqual(tree, [], 'the daemon is not in the root\'s tree');
    const withoutExtra = collectTicks(run.pid);
    const withExtra = collectTicks(run.pid, () => [daemon]);
    await delay(800);
    await withoutExtra.sampler.stop();
    await withExtra.sampler.stop();
    assert.equal(samplesOf(withoutExtra.ticks, daemon).length, 0, 'not found without extraPids');
    assert.ok(samplesOf(withExtra.ticks, daemon).length >= 4, 'found through extraPids');
  });

  // A listing's start times are whole seconds (ps lstart): a pid reused within one second
  // is its known blind spot.
  if (!source.listing) it('gives a reused pid a new key and never merges the two processes', async function () {
    if (process.getuid?.() !== 0) {
      this.skip(); // choosing the next pid (ns_last_pid) needs root
    }
    const run = startPython(`
import subprocess, sys
first = subprocess.Popen(["sleep", "0.6"])
print(first.pid, flush=True)
first.wait()
print("first exited", flush=True)
sys.stdin.readline()
second = subprocess.Popen(["sleep", "0.6"])
print(second.pid, flush=True)
second.wait()
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const pid = Number(await run.nextLine());
    await run.nextLine();
    await waitUntil(() => !isProcessAlive(pid), 'the first process is gone');
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    run.child.stdin!.write('\n');
    assert.equal(Number(await run.nextLine()), pid, 'the second process reused the pid');
    await run.exited;
    await sampler.stop();
    const keys = new Set(samplesOf(ticks, pid).map((s) => s.key));
    assert.equal(keys.size, 2, `keys seen for pid ${pid}: ${[...keys].join(', ')}`);
  });
});

/** The counter step of `ps` here, and the sampler's interval. */
const WHOLE_SECOND_MS = 1000;
const TICK_MS = 100;

describe('CPU % from a platform whose ps counts in whole seconds (listing path, pidusage through ps, real processes)', function () {
  // pidusage takes PIDUSAGE_USE_PS=true to ask `ps` here too: its elapsed time (etime) and
  // CPU time (time) then come in whole seconds, coarser than macOS's (whose CPU time has
  // hundredths) and Windows's, so a per-tick figure must come from more than one tick.
  before(function () {
    if (process.platform !== 'linux') this.skip(); // elsewhere pidusage's own path is the real one
    process.env[PROCESS_SOURCE_ENV] = 'listing';
    process.env.PIDUSAGE_USE_PS = 'true';
  });
  after(() => {
    delete process.env[PROCESS_SOURCE_ENV];
    delete process.env.PIDUSAGE_USE_PS;
  });
  afterEach(endStartedPrograms);

  it('shows a busy single-threaded child at 80 % or more of one core, and above one core only by what a whole-second counter blurs', async function () {
    const run = startPython(`
import subprocess, sys
busy = subprocess.Popen([sys.executable, "-c", """
import time
start = time.monotonic()
while time.monotonic() < start + 6:
    pass
print(round(100 * time.process_time() / (time.monotonic() - start)), flush=True)
"""], stdout=subprocess.PIPE, text=True)
print(busy.pid, flush=True)
print(busy.stdout.read().strip(), flush=True)
busy.wait()
`);
    const { sampler, ticks } = collectTicks(run.pid);
    const busy = Number(await run.nextLine());
    const ownShare = Number(await run.nextLine()); // its CPU time over its life, as it measured them
    await run.exited;
    await sampler.stop();
    const samples = samplesOf(ticks, busy);
    const cpus = samples.map((sample) => sample.cpu);
    const shown = cpus.map(Math.round).join(' ');
    assert.ok(cpus.length >= 30, `${cpus.length} samples of the busy child`);
    // A counter of whole seconds tells nothing of one tick: the first figure comes once it
    // has stepped twice (about 2 s in); until then the samples read 0.
    const secondStep = samples.findIndex((sample) => sample.cpuTimeMs! >= samples[0].cpuTimeMs! + 2000);
    assert.ok(secondStep > 0 && secondStep <= samples.length - 15, `the second step at sample ${secondStep}: ${shown}`);
    const typical = median(cpus.slice(secondStep));
    assert.ok(typical >= 80, `the busy child's median: ${typical.toFixed(1)} %, by its own measure ${ownShare} % (${shown})`);
    assert.ok(Math.abs(typical - ownShare) <= 10, `the busy child's median: ${typical.toFixed(1)} %, by its own measure ${ownShare} %`);
    // Each step is placed halfway between the reads around it, so a 1 s span between two
    // steps is known to within one 100 ms tick: a fully busy process can read up to
    // 1000 / (1000 - 100) of a core, never more.
    const mostPossible = (100 * WHOLE_SECOND_MS) / (WHOLE_SECOND_MS - TICK_MS);
    assert.ok(Math.max(...cpus) <= mostPossible, `the highest sample: ${Math.max(...cpus).toFixed(1)} % (${shown})`);
  });
});

describe("the run's share of the cores, and its waits for a free core (Linux, real processes)", function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });
  afterEach(endStartedPrograms);

  /** Threads that burn CPU in C with the GIL released (zlib compressing), so they run at once. */
  const COMPRESSING_THREADS = (threads: number, seconds: number): string => `
import os, threading, time, zlib
data = os.urandom(1_000_000)
def burn():
    end = time.monotonic() + ${seconds}
    while time.monotonic() < end:
        zlib.compress(data, 9)
workers = [threading.Thread(target=burn) for _ in range(${threads})]
for w in workers: w.start()
print("started", flush=True)
for w in workers: w.join()
`;

  it('never shows a single-threaded process above one core: each sample is over the real time between two reads', async function () {
    const run = startPython(`
import time
print("started", flush=True)
end = time.monotonic() + 2
while time.monotonic() < end:
    pass
`);
    const ticks: SamplerTick[] = [];
    const sampler = new Sampler({ rootPid: run.pid, intervalMs: 30, clock: new RunClock(), onTick: (tick) => ticks.push(tick) });
    sampler.start();
    await run.nextLine();
    await run.exited;
    await sampler.stop();
    const cpus = samplesOf(ticks, run.pid).map((sample) => sample.cpu);
    assert.ok(cpus.length >= 30, `${cpus.length} samples`);
    assert.ok(Math.max(...cpus) <= 100, `the highest sample: ${Math.max(...cpus).toFixed(2)} %`);
    assert.ok(mean(cpus) >= 50, `mean ${mean(cpus).toFixed(1)} %`);
  });

  /** The ticks wholly inside the part of the program between its "started" line and its exit. */
  async function ticksOfBusyPart(run: PythonRun): Promise<SamplerTick[]> {
    const { sampler, ticks } = collectTicks(run.pid);
    await run.nextLine();
    const from = ticks.length + 1;
    await run.exited;
    const to = ticks.length - 1;
    await sampler.stop();
    return ticks.slice(from, to);
  }

  it("puts a process's threads on the cores they ran on", async function () {
    const run = startPython(COMPRESSING_THREADS(2, 2.5));
    const busy = await ticksOfBusyPart(run);
    assert.ok(busy.length >= 10, `${busy.length} ticks with both threads running`);
    const processCpu = mean(busy.map((tick) => samplesOf([tick], run.pid)[0].cpu));
    assert.ok(processCpu >= 140, `the process used ${processCpu.toFixed(0)} % of one core`);
    for (const core of [0, 1]) {
      const ours = mean(busy.map((tick) => tick.coreRun![core] ?? 0));
      assert.ok(ours >= 45, `core ${core}: ${ours.toFixed(1)} % of it was the run's (${busy.map((tick) => tick.coreRun!.map(Math.round).join('/')).join(' ')})`);
    }
  });

  it('measures how long threads were ready to run but waited for a free core', async function () {
    const run = startPython(COMPRESSING_THREADS(os.cpus().length * 2, 2.5));
    const samples = samplesOf(await ticksOfBusyPart(run), run.pid);
    assert.ok(samples.length >= 10, `${samples.length} samples`);
    // Twice as many threads as cores: a core's worth of them or more waits at any moment.
    const waited = mean(samples.map((sample) => sample.runQueueMs!));
    assert.ok(waited >= 40, `waited ${waited.toFixed(1)} ms per 100 ms tick`);
  });

  it("keeps another program's load out of the run's share, and shows it apart", async function () {
    const hog = spawn('python3', ['-c', 'while True: pass'], { detached: true, stdio: 'ignore' });
    started.push(hog);
    const run = startPython('import time\nprint("started", flush=True)\ntime.sleep(2)\n');
    try {
      const measured = await ticksOfBusyPart(run);
      assert.ok(measured.length >= 10, `${measured.length} ticks`);
      for (const tick of measured) {
        assert.ok(tick.runTotal <= 5, `the sleeping run at ${tick.t.toFixed(0)} ms: ${tick.runTotal.toFixed(1)} %`);
        assert.ok(tick.coreRun!.every((share, core) => share <= tick.coreUsage[core] + 1e-9 || share <= 5), 'no core busier with the run than busy');
      }
      const others = mean(measured.map((tick) => tick.coreUsage.reduce((sum, busy) => sum + busy, 0) - tick.runTotal));
      assert.ok(others >= 60, `other programs: ${others.toFixed(0)} % of one core (the hog)`);
    } finally {
      hog.kill('SIGKILL');
    }
  });
});

describe('process usage: /proc/PID/stat against pidusage (real processes)', function () {
  afterEach(endStartedPrograms);

  it('reads the same CPU % and memory as pidusage for a busy and an idle process', async function () {
    if (process.platform !== 'linux') {
      this.skip(); // elsewhere the sampler uses pidusage itself
    }
    const run = startPython(`
import os, time
busy = os.fork()
if busy == 0:
    end = time.monotonic() + 4
    while time.monotonic() < end:
        pass
    os._exit(0)
print(busy, flush=True)
time.sleep(4)
`);
    const busy = Number(await run.nextLine());
    const table = new LinuxProcessTable();
    const fromPidusage = new PidusageMeter();
    const clock = new RunClock();
    type Usage = Pick<ProcessUsage, 'cpu' | 'rssBytes'>;
    const readings: Array<{ stat: Map<number, Usage>; pidusage: Map<number, Usage> }> = [];
    try {
      for (let tick = 0; tick < 12; tick++) {
        const found = await table.read({ rootPid: run.pid, extraPids: [] }, clock.nowMs());
        readings.push({ stat: new Map(found.map((p) => [p.pid, p])), pidusage: await fromPidusage.read(found) });
        await delay(150);
      }
    } finally {
      table.close();
    }
    // The first tick only sets each method's baseline.
    const cpuOf = (pid: number, method: 'stat' | 'pidusage'): number =>
      mean(readings.slice(1).map((reading) => reading[method].get(pid)?.cpu ?? NaN));
    for (const method of ['stat', 'pidusage'] as const) {
      assert.ok(cpuOf(busy, method) >= 80, `${method}: busy child at ${cpuOf(busy, method).toFixed(1)} %`);
      assert.ok(cpuOf(run.pid, method) <= 10, `${method}: idle parent at ${cpuOf(run.pid, method).toFixed(1)} %`);
    }
    assert.ok(Math.abs(cpuOf(busy, 'stat') - cpuOf(busy, 'pidusage')) <= 10, 'the two agree on the busy child');
    const last = readings.at(-1)!;
    for (const pid of [run.pid, busy]) {
      const [stat, other] = [last.stat.get(pid)!.rssBytes, last.pidusage.get(pid)!.rssBytes];
      assert.ok(stat > 1_000_000 && Math.abs(stat - other) <= 0.05 * other, `pid ${pid}: RSS ${stat} against pidusage's ${other}`);
    }
  });
});

/** A parent that prints the pid of a child that has exited, and does not wait for it for `seconds`. */
function zombieParent(seconds: number): string {
  return `
import os, time
child = os.fork()
if child == 0:
    os._exit(0)
print(child, flush=True)
time.sleep(${seconds})
`;
}

describe('process usage through pidusage, of a process that has just ended (real processes)', function () {
  afterEach(endStartedPrograms);

  it('reads nothing for a child that exited but was not waited for (a zombie)', async function () {
    const run = startPython(zombieParent(3));
    const zombie = Number(await run.nextLine());
    await waitUntil(() => !isProcessAlive(zombie), 'the child exited');
    const usage = await new PidusageMeter().read([{ pid: run.pid, key: 'parent' }, { pid: zombie, key: 'zombie' }]);
    assert.ok((usage.get(run.pid)?.rssBytes ?? 0) > 1_000_000, 'the parent is read');
    assert.equal(usage.get(zombie), undefined, `the zombie: ${JSON.stringify(usage.get(zombie))}`);
  });
});

describe('process discovery between full walks (real processes)', function () {
  afterEach(endStartedPrograms);

  it('finds a process started after quiet ticks, within the next tick', async function () {
    const run = startPython(`
import subprocess, sys, time
sys.stdin.readline()
late = subprocess.Popen(["sleep", "2"])
print(late.pid, flush=True)
late.wait()
`);
    const { sampler, ticks } = collectTicks(run.pid);
    await delay(600); // quiet ticks: no new pid on the machine, so no children files read
    run.child.stdin!.write('\n');
    const late = Number(await run.nextLine());
    const printedAt = ticks.length;
    await waitUntil(() => samplesOf(ticks, late).length > 0, 'the late child is sampled', 2000);
    await sampler.stop();
    const firstSeen = ticks.findIndex((tick) => tick.processes.some((p) => p.pid === late));
    assert.ok(firstSeen <= printedAt + 1, `seen at tick ${firstSeen}, printed before tick ${printedAt}`);
    assert.equal(samplesOf(ticks, late)[0].ppid, run.pid);
  });

  it('lists on a quiet tick exactly the processes a full walk finds', async function () {
    if (process.platform !== 'linux') {
      this.skip(); // elsewhere every tick lists all processes
    }
    const run = startPython(`
import os, time
for _ in range(4):
    if os.fork() == 0:
        if os.fork() == 0:
            time.sleep(5)
            os._exit(0)
        time.sleep(5)
        os._exit(0)
print("ready", flush=True)
time.sleep(5)
`);
    await run.nextLine();
    await delay(200);
    const table = new LinuxProcessTable();
    const roots = { rootPid: run.pid, extraPids: [] };
    try {
      const pidsBefore = lastPid();
      const first = await table.read(roots, 0);
      // No new pid on the machine: no children file is read, the known processes are.
      const quiet = await table.read(roots, 100);
      assertFewNewPids(pidsBefore);
      assert.equal(first.length, 9, 'the root, 4 children, 4 grandchildren');
      assert.deepEqual(keys(quiet), keys(await findDescendants(run.pid, { includeRoot: true })));
    } finally {
      table.close();
    }
  });

  it('finds on the next tick a grandchild started since the last, and takes no thread for a process', async function () {
    if (process.platform !== 'linux') {
      this.skip();
    }
    // The child starts three threads (they take pids too) and then forks the grandchild.
    const run = startPython(`
import os, sys, threading, time
go_read, go_write = os.pipe()
if os.fork() == 0:
    os.read(go_read, 1)
    for _ in range(3):
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
    late = os.fork()
    if late == 0:
        time.sleep(3)
        os._exit(0)
    print(late, flush=True)
    time.sleep(3)
    os._exit(0)
print("ready", flush=True)
sys.stdin.readline()
os.write(go_write, b"x")
time.sleep(4)
`);
    await run.nextLine();
    const table = new LinuxProcessTable();
    const roots = { rootPid: run.pid, extraPids: [] };
    try {
      const pidsBefore = lastPid();
      const first = await table.read(roots, 0);
      run.child.stdin!.write('\n');
      const late = Number(await run.nextLine());
      const next = await table.read(roots, 100);
      assertFewNewPids(pidsBefore);
      assert.equal(first.length, 2, 'the root and its child');
      assert.ok(next.some(({ pid }) => pid === late), 'the grandchild is found');
      assert.deepEqual(keys(next), keys(await findDescendants(run.pid, { includeRoot: true })), 'three processes, no thread');
    } finally {
      table.close();
    }
  });
});

function keys(processes: Array<{ key: string }>): string[] {
  return processes.map(({ key }) => key).sort();
}

function lastPid(): number {
  return parseLastPid(readFileSync('/proc/loadavg')) ?? NaN;
}

/** The walks under test looked only at the new pids' parents: few pids were handed out meanwhile. */
function assertFewNewPids(before: number): void {
  const handedOut = lastPid() - before;
  assert.ok(handedOut >= 0 && handedOut <= 32, `${handedOut} pids handed out on the machine during the test: every walk was a full one`);
}

describe('process tree (real processes)', function () {
  it('kills the whole tree, including a grandchild that left the process group', async function () {
    const run = startPython(`
import os, subprocess, sys, time
children = [subprocess.Popen(["sleep", "30"]) for _ in range(2)]
escaper = subprocess.Popen([sys.executable, "-c", "import os, subprocess, time; os.setsid(); subprocess.Popen(['sleep', '30']); time.sleep(30)"])
time.sleep(0.5)
print("ready", flush=True)
time.sleep(30)
`);
    await run.nextLine();
    const tree = await findDescendants(run.pid);
    assert.equal(tree.length, 4, `3 children and a grandchild: ${JSON.stringify(tree)}`);
    const pids = tree.map(({ pid }) => pid);
    await signalProcessTree(run.pid, pids, 'SIGKILL');
    await run.exited;
    await waitUntil(() => [run.pid, ...pids].every((pid) => !isProcessAlive(pid)), 'every process is gone', 3000);
  });

  it('a group signal alone misses the grandchild that called setsid (why known pids are signalled)', async function () {
    const run = startPython(`
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", "import os, time; os.setsid(); time.sleep(30)"])
time.sleep(0.5)
print("ready", flush=True)
time.sleep(30)
`);
    await run.nextLine();
    const [escaper] = await findDescendants(run.pid);
    await signalProcessTree(run.pid, [], 'SIGKILL');
    await run.exited;
    await delay(200);
    assert.ok(isProcessAlive(escaper.pid), 'the escaper survives a group-only signal');
    await signalProcessTree(run.pid, [escaper.pid], 'SIGKILL');
    await waitUntil(() => !isProcessAlive(escaper.pid), 'the escaper is gone');
  });

  it('reports a zombie as not alive, and its waiting parent as alive', async function () {
    const run = startPython(zombieParent(30));
    const zombie = Number(await run.nextLine());
    await delay(200);
    assert.ok(isProcessAlive(run.pid), 'the parent is alive');
    assert.ok(!isProcessAlive(zombie), 'the zombie is not');
    const tree = await findDescendants(run.pid, { includeRoot: true });
    assert.deepEqual(tree.map(({ pid }) => pid), [run.pid], 'the walk skips the zombie');
    assert.ok(!isProcessAlive(999_999_999), 'a pid that never existed');
  });
});
