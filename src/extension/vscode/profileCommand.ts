// "Parallel Lab: Profile Current File": runs the active Python file under the engine and
// writes the summary to the log.

import * as vscode from 'vscode';
import { UserFacingError } from '../engine/errors';
import { ProfileRun } from '../engine/profileRun';
import { formatSummary } from '../engine/summary';

export function registerProfileCommand(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('parallelLab.runFile', async () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'python' || document.isUntitled) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a saved Python file to profile it.'));
      return;
    }
    try {
      const run = await ProfileRun.start(
        { file: document.uri.fsPath },
        { onOutput: (_stream, text) => log.info(text.trimEnd()) },
      );
      const record = await run.finished;
      log.info(formatSummary(record));
      log.show(true);
    } catch (error) {
      const message = error instanceof UserFacingError ? error.message : String(error);
      void vscode.window.showErrorMessage(message);
    }
  });
}
