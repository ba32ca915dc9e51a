// "Run in parallel" (the CodeLens above a top-level function): asks for the inputs and a
// prediction, runs the scaling lab with a cancellable progress notification, and shows
// the result in the profiler panel.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScalingResult } from '../../shared/scaling';
import { UserFacingError } from '../engine/run/errors';
import { stepLabel } from '../engine/scaling/plan';
import { runScalingLab, ScalingLabCancelled } from '../engine/scaling/scalingLab';
import { configuredPython } from './interpreter';
import type { ProfilerPanel } from './profilerPanel';
import { outlinePython } from './pythonOutline';
import { askScalingQuestions } from './scalingPrompts';

export async function runInParallel(
  state: vscode.Memento,
  panel: ProfilerPanel,
  log: vscode.LogOutputChannel,
  uri: vscode.Uri | undefined,
  functionName: string | undefined,
): Promise<ScalingResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Parallel Lab runs Python programs, so runs are turned off until you trust this workspace.'));
    return undefined;
  }
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'python' || document.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a saved Python file to run one of its functions in parallel.'));
    return undefined;
  }
  const fn = functionName ?? (await pickFunction(document));
  if (!fn) return undefined;
  const questions = await askScalingQuestions(state, document.uri.fsPath, fn);
  if (!questions) return undefined;

  const python = await configuredPython(document.uri);
  try {
    const { result } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running {0} in parallel', fn), cancellable: true },
      async (progress, token) => {
        const aborter = new AbortController();
        token.onCancellationRequested(() => aborter.abort());
        let share = 0;
        let counted = 0;
        return runScalingLab(
          { file: document.uri.fsPath, functionName: fn, inputs: questions.inputs, prediction: questions.prediction, python },
          {
            // The bar counts the runs every step takes; the extra runs of a noisy step only change the message.
            onPlan: (steps, minRuns) => {
              share = 100 / Math.max(1, steps.length * minRuns);
              counted = minRuns;
            },
            onRunStarted: (step, _index, runNumber) => progress.report({ message: vscode.l10n.t('{0}, run {1}', stepLabel(step), runNumber) }),
            onRunFinished: (_step, _index, runNumber) => {
              if (runNumber <= counted) progress.report({ increment: share });
            },
          },
          aborter.signal,
        );
      },
    );
    log.info(`scaling lab of ${path.basename(document.uri.fsPath)}:${fn}: ${result.verdict}`);
    panel.showScaling(result);
    return result;
  } catch (error) {
    if (error instanceof ScalingLabCancelled) return undefined;
    const message = error instanceof UserFacingError ? error.message : vscode.l10n.t('The scaling lab failed: {0}', String(error));
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
}

async function pickFunction(document: vscode.TextDocument): Promise<string | undefined> {
  const functions = outlinePython(document.getText()).topLevelFunctions;
  if (functions.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This file has no top-level function to run in parallel.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    functions.map((fn) => ({ label: fn.name, description: `(${fn.parameters})`, detail: vscode.l10n.t('line {0}', fn.line + 1) })),
    { title: vscode.l10n.t('Which function should run in parallel?') },
  );
  return picked?.label;
}
