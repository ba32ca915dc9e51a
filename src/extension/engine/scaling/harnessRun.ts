// One mode of the scaling lab as one profiled run: ProfileRun runs the Python harness with
// arguments naming the mode, and the harness writes its timing to a report file.

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LockEventList, RunRecord, StartMethod } from '../../../shared/runRecord';
import { UserFacingError } from '../errors';
import { ProfileRun, pythonRuntimeDir, type RunObserver } from '../profileRun';
import { parseHarnessReport, type MappedReport } from './harnessReport';
import { explainMistake } from './learnerMistakes';
import { stepLabel, type ScalingStep } from './plan';

export interface HarnessTarget {
  file: string;
  functionName: string;
  inputs: string;
  python?: string;
  startMethod?: StartMethod;
  timeoutMs?: number;
}

export interface HarnessOutcome {
  report: MappedReport;
  record: RunRecord<LockEventList>;
}

/** Where the sequential run leaves its results for the other modes to compare with. */
export interface HarnessFiles {
  results: string;
  report: (step: ScalingStep) => string;
}

/** `__main__.py` rather than `-m`: ProfileRun runs a program file. */
export function harnessFile(): string {
  return path.join(pythonRuntimeDir(), 'parallel_lab_scale', '__main__.py');
}

export async function startHarnessRun(target: HarnessTarget, step: ScalingStep, files: HarnessFiles, observer: RunObserver = {}): Promise<ProfileRun> {
  return ProfileRun.start(
    {
      file: harnessFile(),
      args: [
        ...['--file', path.resolve(target.file), '--function', target.functionName, '--inputs', target.inputs],
        ...['--mode', step.mode, '--workers', String(step.workers)],
        ...['--results', files.results, '--report', files.report(step)],
      ],
      python: target.python,
      startMethod: target.startMethod,
      timeoutMs: target.timeoutMs,
    },
    observer,
  );
}

/** The run's report; a learner's mistake or a run that ended without one becomes a UserFacingError. */
export async function finishHarnessRun(run: ProfileRun, target: HarnessTarget, step: ScalingStep, files: HarnessFiles): Promise<HarnessOutcome> {
  const record = await run.finished;
  const text = await readFile(files.report(step), 'utf8').catch(() => null);
  const report = text === null ? null : parseHarnessReport(text);
  if (report?.ok === false) throw new UserFacingError(explainMistake(report.error, path.basename(target.file)));
  if (report === null) throw new UserFacingError(noReportSentence(record, step, target));
  return { report, record };
}

function noReportSentence(record: RunRecord<LockEventList>, step: ScalingStep, target: HarnessTarget): string {
  const what = `The run with ${stepLabel(step)}`;
  if (record.outcome === 'timed-out') {
    return `${what} went past its time limit of ${((target.timeoutMs ?? 0) / 1000).toFixed(0)} s; map fewer or smaller inputs.`;
  }
  // The learner's code ended the process (os._exit, a crash in a C extension, ...): its last
  // line of error output is the best clue there is.
  const lastLine = record.stderr.trim().split('\n').pop() ?? '';
  const clue = lastLine ? ` Its last error output: ${lastLine}` : '';
  return `${what} of ${target.functionName} ended (exit code ${record.exitCode ?? record.exitSignal ?? '–'}) before it could report its time.${clue}`;
}
