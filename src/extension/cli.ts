// The `parallel-lab` command line: profiles a Python program with the engine, hands it
// this process's stdin, streams its output byte for byte, prints a summary, and writes the
// run record. No VS Code needed.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { constants as osConstants } from 'node:os';
import { formatMs } from '../shared/format';
import { START_METHODS, type LockEventList, type RunRecord, type StartMethod } from '../shared/runRecord';
import type { ScalingPrediction } from '../shared/scaling';
import { toChromeTrace } from './engine/export/chromeTrace';
import { UserFacingError } from './engine/run/errors';
import { writeHtmlReport, writeScalingReport } from './engine/export/htmlReport';
import { writeJsonFile } from './engine/storage/jsonFile';
import { ProfileRun } from './engine/run/profileRun';
import { stepLabel } from './engine/scaling/plan';
import { runScalingLab, ScalingLabCancelled } from './engine/scaling/scalingLab';
import { formatScalingSummary } from './engine/scaling/scalingSummary';
import { formatSummary } from './engine/export/summary';

const USAGE = `Usage: parallel-lab run FILE [options] [-- ARGS...]
       parallel-lab scale FILE:FUNCTION --inputs EXPR [options]   (see scale --help)

Profiles a Python program: every process it creates, CPU per process and per core.

Options:
  --python PATH              Python interpreter (default: python3, then python)
  --start-method METHOD      fork, spawn or forkserver (default: the platform's)
  --interval MS              sampling interval in milliseconds (default: 100)
  --timeout S                stop the whole process tree after S seconds (exit code 124)
  --json OUT                 write the run record (parallel-lab/run@1) to OUT
  --trace OUT                write a Chrome trace (opens in Perfetto and chrome://tracing)
  --html OUT                 write a self-contained HTML report (opens from disk, no network)
  --quiet                    print no summary; the program's own output still streams
  -h, --help                 show this help
`;

const SCALE_USAGE = `Usage: parallel-lab scale FILE:FUNCTION --inputs EXPR [options]

Maps a top-level function over inputs sequentially, on a thread pool, and on process pools
of 1 … N workers and 2 × N, each run profiled, and says how well it scaled and why.

Options:
  --inputs EXPR              a Python expression for the items, e.g. "range(16)"; it may use
                             the file's own names (required)
  --max-workers N            the largest process pool before 2 × N (default: the cores)
  --predict-2 X              your guess of the speedup with 2 workers, shown beside the result
  --predict-all X            your guess of the speedup with N workers
  --python PATH              Python interpreter (default: python3, then python)
  --start-method METHOD      fork, spawn or forkserver (default: the platform's)
  --timeout S                stop any one run after S seconds
  --json OUT                 write the result (parallel-lab/scale@1) to OUT
  --html OUT                 write a self-contained HTML report of the result
  -h, --help                 show this help
`;

/** Exit code for a usage or input error of ours (the program's own codes pass through). */
const EXIT_USAGE = 2;
const EXIT_TIMEOUT = 124;
const EXIT_INTERRUPTED = 130;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'scale') return scale(argv.slice(1));
  const dash = argv.indexOf('--');
  const ours = dash >= 0 ? argv.slice(0, dash) : argv;
  const programArgs = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parseArgs({
    args: ours,
    allowPositionals: true,
    options: {
      python: { type: 'string' },
      'start-method': { type: 'string' },
      interval: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      trace: { type: 'string' },
      html: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : EXIT_USAGE;
  }
  const [command, file, ...extra] = positionals;
  if (command !== 'run') throw new UserFacingError(`Unknown command "${command}"; the commands are "run" and "scale" (see --help).`);
  if (!file) throw new UserFacingError('Name the Python file to run, e.g. parallel-lab run samples/01-processes/counter.py.');

  const startMethod = values['start-method'];
  if (startMethod !== undefined && !START_METHODS.includes(startMethod as StartMethod)) {
    throw new UserFacingError(`--start-method must be one of ${START_METHODS.join(', ')}, not "${startMethod}".`);
  }
  // `parallel-lab run … | head`: once a stream's reader is gone (EPIPE), Node destroys that
  // stream and echo() stops writing to it; the run goes on and the record is still written.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const run = await ProfileRun.start(
    {
      file,
      args: [...extra, ...programArgs],
      python: values.python,
      startMethod: startMethod as StartMethod | undefined,
      intervalMs: positiveNumber(values.interval, '--interval', 'milliseconds'),
      timeoutMs: secondsToMs(positiveNumber(values.timeout, '--timeout', 'seconds')),
      // The program reads our stdin itself, so a pipe, a file or a terminal work as without us.
      stdin: 'inherit',
    },
    {
      // The bytes as the program wrote them: binary output and a character cut at a chunk's
      // end pass through unchanged (the record keeps the decoded text).
      onOutput: (stream, _text, bytes) => echo(stream === 'stdout' ? process.stdout : process.stderr, bytes),
    },
  );

  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    void run.stop();
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const record = await run.finished;
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);

  if (values.json) await writeJson(values.json, record, 'the run record');
  if (values.trace) await writeJson(values.trace, toChromeTrace(record), 'the trace');
  if (values.html) await writeHtmlReport(values.html, record);
  if (!values.quiet) echo(process.stdout, '\n' + formatSummary(record));
  if (interrupted) return EXIT_INTERRUPTED;
  return exitCodeOf(record);
}

/** `parallel-lab scale`: the scaling lab, each run reported as it finishes, then the comparison. */
async function scale(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      inputs: { type: 'string' },
      'max-workers': { type: 'string' },
      'predict-2': { type: 'string' },
      'predict-all': { type: 'string' },
      python: { type: 'string' },
      'start-method': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SCALE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UserFacingError('Name one file and function, e.g. parallel-lab scale work.py:crunch --inputs "range(16)".');
  const { file, functionName } = splitScaleTarget(positionals[0]);
  if (values.inputs === undefined) throw new UserFacingError('Give the inputs to map over with --inputs, e.g. --inputs "range(16)".');
  const startMethod = values['start-method'];
  if (startMethod !== undefined && !START_METHODS.includes(startMethod as StartMethod)) {
    throw new UserFacingError(`--start-method must be one of ${START_METHODS.join(', ')}, not "${startMethod}".`);
  }
  const maxWorkers = positiveNumber(values['max-workers'], '--max-workers', 'workers');
  if (maxWorkers !== undefined && !Number.isInteger(maxWorkers)) throw new UserFacingError(`--max-workers takes a whole number, not "${values['max-workers']}".`);
  const prediction: ScalingPrediction = {
    twoWorkers: positiveNumber(values['predict-2'], '--predict-2', 'times faster'),
    allCores: positiveNumber(values['predict-all'], '--predict-all', 'times faster'),
  };

  const aborter = new AbortController();
  const onInterrupt = (): void => aborter.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const { result } = await runScalingLab(
      {
        file,
        functionName,
        inputs: values.inputs,
        maxWorkers,
        prediction,
        python: values.python,
        startMethod: startMethod as StartMethod | undefined,
        timeoutMsPerRun: secondsToMs(positiveNumber(values.timeout, '--timeout', 'seconds')),
      },
      {
        onPlan: (steps, minRuns) =>
          process.stdout.write(`Running ${functionName} in ${steps.length} ways, each at least ${minRuns} times (more while its runs disagree), each run profiled:\n`),
        onRunFinished: (step, index, runNumber, wallMs) =>
          process.stdout.write(`  ${index + 1}. ${stepLabel(step).padEnd(14)} run ${String(runNumber).padEnd(2)} ${formatMs(wallMs).padStart(8)}\n`),
      },
      aborter.signal,
    );
    if (values.json) await writeJson(values.json, result, 'the scaling result');
    if (values.html) await writeScalingReport(values.html, result);
    process.stdout.write('\n' + formatScalingSummary(result));
    return 0;
  } catch (error) {
    if (!(error instanceof ScalingLabCancelled)) throw error;
    process.stderr.write(`parallel-lab: ${error.message}\n`);
    return EXIT_INTERRUPTED;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** Writes to our stdout or stderr unless its reader has gone away. */
function echo(stream: NodeJS.WriteStream, data: Uint8Array | string): void {
  if (stream.writable) stream.write(data);
}

/** FILE:FUNCTION, split at the last colon so that a Windows drive letter stays in the file. */
function splitScaleTarget(target: string): { file: string; functionName: string } {
  const colon = target.lastIndexOf(':');
  const file = target.slice(0, Math.max(colon, 0));
  const functionName = colon > 0 ? target.slice(colon + 1) : '';
  if (!file || !functionName || /[\\/]/.test(functionName)) {
    throw new UserFacingError(`Write the file and the function as FILE:FUNCTION, e.g. work.py:crunch, not "${target}".`);
  }
  return { file, functionName };
}

function exitCodeOf(record: RunRecord<LockEventList>): number {
  if (record.outcome === 'timed-out') return EXIT_TIMEOUT;
  if (record.outcome === 'stopped') return EXIT_INTERRUPTED;
  if (record.exitCode !== null) return record.exitCode;
  // Ended by a signal: the shell's convention.
  const signal = record.exitSignal as keyof typeof osConstants.signals | null;
  return 128 + (signal ? osConstants.signals[signal] ?? 0 : 0);
}

async function writeJson(target: string, document: object, what: string): Promise<void> {
  const file = path.resolve(target);
  try {
    await writeJsonFile(file, document);
  } catch (error) {
    throw new UserFacingError(`Could not write ${what} to ${file}: ${(error as Error).message}.`);
  }
}

function positiveNumber(text: string | undefined, option: string, unit: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UserFacingError(`${option} takes a positive number of ${unit}, not "${text}".`);
  return value;
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserFacingError || isParseArgsError(error)) {
      process.stderr.write(`parallel-lab: ${(error as Error).message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`parallel-lab: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);

/** node:util's parseArgs throws a TypeError with an ERR_PARSE_ARGS_* code for bad options. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
