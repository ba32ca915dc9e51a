// The questions "Run in parallel" asks before it measures: the inputs to map the function
// over (a Python expression, remembered per function), then the learner's prediction of
// the speedup with 2 workers and with one worker per core — predicting first is what
// makes the measurement teach something.

import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ScalingPrediction } from '../../shared/scaling';

const LAST_INPUTS_KEY = 'parallelLab.scalingInputs';
const SUGGESTED_INPUTS = 'range(16)';

export interface ScalingQuestions {
  inputs: string;
  prediction: ScalingPrediction;
}

/** Asks the questions; undefined when the learner cancels. */
export async function askScalingQuestions(state: vscode.Memento, file: string, fn: string): Promise<ScalingQuestions | undefined> {
  const remembered = state.get<Record<string, string>>(LAST_INPUTS_KEY, {});
  const key = `${file}:${fn}`;
  const inputs = await vscode.window.showInputBox({
    title: vscode.l10n.t('Run {0} in parallel', fn),
    prompt: vscode.l10n.t('The inputs to map {0} over: a Python expression, evaluated after importing your module.', fn),
    value: remembered[key] ?? SUGGESTED_INPUTS,
    placeHolder: SUGGESTED_INPUTS,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Give an expression, for example {0}.', SUGGESTED_INPUTS)),
  });
  if (inputs === undefined) return undefined;
  await state.update(LAST_INPUTS_KEY, { ...remembered, [key]: inputs.trim() });

  const cores = os.cpus().length;
  const twoWorkers = await askSpeedup(vscode.l10n.t('Predict: how many times faster will it run with 2 worker processes?'));
  if (twoWorkers === null) return undefined;
  const allCores =
    cores > 2 ? await askSpeedup(vscode.l10n.t('Predict: how many times faster with {0} worker processes (one per core)?', cores)) : twoWorkers;
  if (allCores === null) return undefined;
  return { inputs: inputs.trim(), prediction: { twoWorkers, allCores } };
}

/** A speedup guess: a number, or undefined when skipped (empty); null when cancelled. */
async function askSpeedup(prompt: string): Promise<number | undefined | null> {
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('Your prediction (leave empty to skip)'),
    prompt,
    placeHolder: '1.8',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' || Number(value) > 0 ? undefined : vscode.l10n.t('A positive number, such as 1.8.')),
  });
  if (answer === undefined) return null;
  return answer.trim() === '' ? undefined : Number(answer);
}
