// Watching must not change the run: pool tasks and messages, timed inside the program, plain
// against profiled (the whole engine: tracer, event socket, record builder, sampler), in
// interleaved runs of the same interpreter; medians of the per-pair ratios.
//
// The programs are what a learner writes for lessons 3 and 5: tasks too small for a pool,
// and round trips of a small message over a Pipe and a Queue. The records of the profiled
// runs are checked too: a cheap tracer that dropped events would be no tracer.

import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { ProfileRun } from '../src/extension/engine/run/profileRun';
import { TRACER_ENV } from '../src/extension/engine/tracer/tracerProtocol';
import type { LockEventList, RunRecord } from '../src/shared/runRecord';
import { median } from './measure';

const PYTHON = process.env.PARALLEL_LAB_BENCH_PYTHON ?? 'python3';
const PAIRS = Number(process.env.PARALLEL_LAB_BENCH_PAIRS ?? 7);
export const OBSERVED_COUNT = 5000;

const PROGRAM = path.resolve(__dirname, '../../test/python/observed_workloads.py');
const FLUSH_PROGRAM = path.resolve(__dirname, '../../bench/python/worker_flush.py');

export interface Workload {
  /** The function of PROGRAM. */
  name: string;
  label: string;
  /** Per round trip rather than for the whole loop. */
  perItem: boolean;
  /** What the profiled run's record must hold, or a sentence saying what is missing. */
  missing(record: RunRecord<LockEventList>): string | null;
}

function messagesOn(record: RunRecord<LockEventList>, api: string): number {
  const channels = new Set(record.channels.filter((channel) => channel.api === api && !channel.internal).map((channel) => channel.id));
  return record.ipcEvents.filter((event) => channels.has(event.channel)).length;
}

function squareTasks(record: RunRecord<LockEventList>): string | null {
  const items = record.tasks.filter((task) => task.fn === 'square').reduce((sum, task) => sum + task.items, 0);
  return items === OBSERVED_COUNT ? null : `${items} of ${OBSERVED_COUNT} task items recorded`;
}

export const WORKLOADS: Workload[] = [
  { name: 'pool_map', label: `\`Pool(2).map(square, range(${OBSERVED_COUNT}), chunksize=1)\``, perItem: false, missing: squareTasks },
  { name: 'executor_submit', label: `${OBSERVED_COUNT} \`ProcessPoolExecutor(2).submit(square, i)\` and their results`, perItem: false, missing: squareTasks },
  {
    name: 'pipe_round_trips',
    label: `\`Pipe\` round trip of a small int, ${OBSERVED_COUNT} times`,
    perItem: true,
    // Each round trip is a send and a recv on each side; plus the warm-up and the stop.
    missing: (r) => (messagesOn(r, 'Pipe') >= 4 * OBSERVED_COUNT ? null : `${messagesOn(r, 'Pipe')} Pipe messages recorded, expected at least ${4 * OBSERVED_COUNT}`),
  },
  {
    name: 'queue_round_trips',
    label: `\`Queue\` round trip of a small int, ${OBSERVED_COUNT} times`,
    perItem: true,
    missing: (r) => (messagesOn(r, 'Queue') >= 4 * OBSERVED_COUNT ? null : `${messagesOn(r, 'Queue')} Queue messages recorded, expected at least ${4 * OBSERVED_COUNT}`),
  },
];

export interface ObservedCost {
  workload: Workload;
  /** ms for the loop, or µs per round trip. */
  plain: number;
  traced: number;
  /** Median of each profiled run over the plain run just before it. */
  ratio: number;
  /** What a profiled run's record lacked, if anything. */
  missing: string | null;
}

function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(TRACER_ENV)) delete env[name];
  delete env.PYTHONPATH;
  return env;
}

function runPlain(file: string, workload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [file, workload, String(OBSERVED_COUNT)], { env: plainEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`${workload} exited with ${code}`))));
  });
}

async function runProfiled(file: string, workload: string): Promise<{ ms: number; record: RunRecord<LockEventList> }> {
  const record = await (await ProfileRun.start({ file, args: [workload, String(OBSERVED_COUNT)], python: PYTHON })).finished;
  if (record.exitCode !== 0) throw new Error(`${workload} exited with ${record.exitCode} under the profiler:\n${record.stderr.slice(-2000)}`);
  return { ms: Number(record.stdout.trim()), record };
}

export async function measureObserverEffect(workloads: readonly Workload[] = WORKLOADS): Promise<ObservedCost[]> {
  const file = PROGRAM;
  const results: ObservedCost[] = [];
  for (const workload of workloads) {
    const plain: number[] = [];
    const traced: number[] = [];
    let missing: string | null = null;
    for (let pair = 0; pair < PAIRS; pair++) {
      plain.push(await runPlain(file, workload.name));
      const profiled = await runProfiled(file, workload.name);
      traced.push(profiled.ms);
      missing ??= workload.missing(profiled.record);
    }
    const unit = workload.perItem ? 1000 / OBSERVED_COUNT : 1;
    results.push({
      workload,
      plain: median(plain) * unit,
      traced: median(traced) * unit,
      ratio: median(traced.map((ms, i) => ms / plain[i])),
      missing,
    });
  }
  return results;
}

const GOAL_RATIO = 1.3;

/** A pool worker's flush of one task's records into its spool, and of nothing, in µs (median of 5 runs). */
export function measureWorkerFlush(): { fullUs: number; emptyUs: number } {
  const runs = Array.from({ length: 5 }, () => execFileSync(PYTHON, [FLUSH_PROGRAM], { encoding: 'utf8' }).trim().split(' ').map(Number));
  return { fullUs: median(runs.map((run) => run[0])), emptyUs: median(runs.map((run) => run[1])) };
}

export function observerMarkdown(rows: readonly ObservedCost[], flush: { fullUs: number; emptyUs: number }): string[] {
  return [
    `## Tasks and messages: watching must not change the run (target: at most ${GOAL_RATIO}× each)`,
    '',
    'The workloads of `test/python/observed_workloads.py`, timed inside the program around the',
    `loop only, plain \`python3\` against the whole engine (\`ProfileRun\`: tracer, event socket and`,
    `spools, record builder, sampler), in ${PAIRS} interleaved pairs; the ratio is the median of each`,
    'profiled run over the plain run just before it. Every profiled run\'s record is checked for',
    'every task (with its items) and every message (with its bytes).',
    '',
    '| workload | plain | profiled | ratio | all recorded | target |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const unit = row.workload.perItem ? 'µs per round trip' : 'ms';
      return (
        `| ${row.workload.label} | ${row.plain.toFixed(row.workload.perItem ? 1 : 0)} ${unit} | ${row.traced.toFixed(row.workload.perItem ? 1 : 0)} ${unit} | ` +
        `${row.ratio.toFixed(2)}× | ${row.missing ?? 'yes'} | ${row.ratio <= GOAL_RATIO && row.missing === null ? 'met' : '**missed**'} |`
      );
    }),
    '',
    `A pool worker hands each task's records to the host before its result, and its result's after it (see`,
    `runtimes/python/README.md, "Spools"): two flushes per task, each ${flush.fullUs.toFixed(1)} µs here for one task's records`,
    `(${flush.emptyUs.toFixed(2)} µs with nothing pending), measured by \`bench/python/worker_flush.py\`.`,
    '',
  ];
}

if (require.main === module) {
  const only = process.argv.slice(2);
  void measureObserverEffect(only.length > 0 ? WORKLOADS.filter((w) => only.includes(w.name)) : WORKLOADS).then((rows) => {
    for (const row of rows) {
      const unit = row.workload.perItem ? 'µs' : 'ms';
      console.log(`${row.workload.name}: plain ${row.plain.toFixed(1)} ${unit}, traced ${row.traced.toFixed(1)} ${unit}, ratio ${row.ratio.toFixed(2)}${row.missing ? `; MISSING: ${row.missing}` : ''}`);
    }
  });
}
