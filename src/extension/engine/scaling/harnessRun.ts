// One mode of the scaling lab as one profiled run: ProfileRun runs the Python harness with
// arguments naming the mode, and the harness sends its timing back on the run's event
// channel (a `scale-report` record), never in a file: a file it made in TEMP could be out of
// the host's sight (the Microsoft Store's Python redirects those).

import * as path from 'node:path';
import type { LockEventList, RunRecord, StartMethod } from '../../../shared/runRecord';
import { UserFacingError } from '../run/errors';
import { ProfileRun, pythonRuntimeDir, type RunObserver } from '../run/profileRun';
import { harnessReportOf, type HarnessReport, type MappedReport } from './harnessReport';
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

/** A mode's profiled run, and the report its harness sent, once it has. */
export interface HarnessRun {
  run: ProfileRun;
  /** The report the harness has sent so far; a property, so it can be passed on alone. */
  report: () => HarnessReport | null;
}

/** `__main__.py` rather than `-m`: ProfileRun runs a program file. */
export function harnessFile(): string {
  return path.join(pythonRuntimeDir(), 'parallel_lab_scale', '__main__.py');
}

/**
 * Starts a mode's run. `resultsFile` is where the sequential run leaves its results for the
 * other modes to compare with: only Python reads it, which sees its own redirected files.
 */
export async function startHarnessRun(target: HarnessTarget, step: ScalingStep, resultsFile: string, observer: RunObserver = {}): Promise<HarnessRun> {
  let report: HarnessReport | null = null;
  const run = await ProfileRun.start(
    {
      file: harnessFile(),
      args: [
        ...['--file', path.resolve(target.file), '--function', target.functionName, '--inputs', target.inputs],
        ...['--mode', step.mode, '--workers', String(step.workers)],
        ...['--results', resultsFile],
      ],
      python: target.python,
      startMethod: target.startMethod,
      timeoutMs: target.timeoutMs,
    },
    {
      ...observer,
      onTracerRecord: (record) => {
        // The harness sends one; anything after a valid one is not the harness's.
        if (record.type === 'scale-report' && report === null) report = harnessReportOf(record);
        observer.onTracerRecord?.(record);
      },
    },
  );
  return { run, report: () => report };
}

/** The run's report; a learner's mistake or a run that ended without one becomes a UserFacingError. */
export async function finishHarnessRun({ run, report: reportNow }: HarnessRun, target: HarnessTarget, step: ScalingStep): Promise<HarnessOutcome> {
  const record = await run.finished;
  // Every record of the run has been delivered once it is finished.
  const report = reportNow();
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
