// The extension host's entry point. For now one command profiles the active Python file
// and logs the summary; the lesson tree, panel and CodeLens build on the same engine.

import * as vscode from 'vscode';
import { registerProfileCommand } from './vscode/profileCommand';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Parallel Lab', { log: true });
  context.subscriptions.push(log, registerProfileCommand(log));
}

export function deactivate(): void {
  // Runs are ended by their own disposables.
}
