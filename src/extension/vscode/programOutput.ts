// The program's own output, in a terminal-like view (a pseudoterminal), so colours and
// progress lines look as they would in a shell. The extension's own log is elsewhere.

import * as vscode from 'vscode';

export class ProgramOutput implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private terminal: vscode.Terminal | undefined;
  private opened = false;
  private pending: string[] = [];

  /** Starts a fresh section for a new run, showing the terminal without taking focus. */
  begin(title: string): void {
    this.ensureTerminal().show(true);
    this.write(`\x1b[2m── ${title} ──\x1b[0m\n`);
  }

  write(text: string): void {
    // A terminal needs \r\n; programs print \n.
    const line = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writeEmitter.fire(line);
    else this.pending.push(line);
  }

  dispose(): void {
    this.terminal?.dispose();
    this.writeEmitter.dispose();
  }

  private ensureTerminal(): vscode.Terminal {
    if (this.terminal && this.terminal.exitStatus === undefined) return this.terminal;
    this.opened = false;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      open: () => {
        this.opened = true;
        for (const line of this.pending) this.writeEmitter.fire(line);
        this.pending = [];
      },
      close: () => {
        this.terminal = undefined;
        this.opened = false;
      },
    };
    this.terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Parallel Lab: program output'), pty });
    return this.terminal;
  }
}
