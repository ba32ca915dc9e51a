// CodeLens in Python files: "▶ Profile" above the main guard (runs the file) and
// "Run in parallel" above each top-level function. A setting turns them off.

import * as vscode from 'vscode';
import { outlinePython } from './pythonOutline';

export const CODELENS_SETTING = 'parallelLab.codeLens.enabled';

export class ParallelLabCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(context: vscode.ExtensionContext) {
    context.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(CODELENS_SETTING)) this.changed.fire();
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration().get<boolean>(CODELENS_SETTING, true)) return [];
    const outline = outlinePython(document.getText());
    const lenses: vscode.CodeLens[] = [];
    if (outline.mainGuardLine !== null) {
      lenses.push(
        new vscode.CodeLens(document.lineAt(outline.mainGuardLine).range, {
          title: vscode.l10n.t('▶ Profile'),
          tooltip: vscode.l10n.t('Run this file under the Parallel Lab profiler'),
          command: 'parallelLab.runFile',
          arguments: [document.uri],
        }),
      );
    }
    for (const fn of outline.topLevelFunctions) {
      lenses.push(
        new vscode.CodeLens(document.lineAt(fn.line).range, {
          title: vscode.l10n.t('Run in parallel'),
          tooltip: vscode.l10n.t('Profile this file and see how {0} behaves in parallel', fn.name),
          command: 'parallelLab.runInParallel',
          arguments: [document.uri, fn.name],
        }),
      );
    }
    return lenses;
  }
}
