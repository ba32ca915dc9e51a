// The program's own output, in a terminal-like view (a pseudoterminal), so colours and
// progress lines look as they would in a shell, and what the user types there goes to the
// running program's stdin. The extension's own log is elsewhere.
//
// A pseudoterminal has no line discipline: the keys arrive raw. So this view does what a
// terminal's cooked mode would: it echoes what is typed, Backspace edits the line, Enter
// sends it with "\n", Ctrl-D on an empty line ends the input (end-of-file) and Ctrl-C stops
// the run.

import * as vscode from 'vscode';

/** The running program, as far as typing reaches it (a ProfileRun started with stdin 'pipe'). */
export interface ProgramInput {
  writeInput(text: string): void;
  endInput(): void;
  stop(): Promise<void>;
}

const ENTER = /^(\r\n?|\n)$/;
const BACKSPACE = /^[\x7f\b]$/;
const CTRL_C = '\x03';
const CTRL_D = '\x04';
/**
 * One key of what arrives: an escape sequence (arrow keys, function keys: ignored, as the
 * line cannot be edited in the middle), a line break, or one character (a whole code point).
 */
// eslint-disable-next-line no-control-regex -- escape sequences are what it reads
const KEY = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1bO.|\x1b.?|\r\n|[\s\S]/gu;
// Other control characters have no meaning here and would upset the echo.
// eslint-disable-next-line no-control-regex -- control characters are what it matches
const CONTROL = /^[\x00-\x1f\x7f-\x9f]$/u;

export class ProgramOutput implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private terminal: vscode.Terminal | undefined;
  private opened = false;
  private pending: string[] = [];
  /** The run typing goes to; none while no run is going. */
  private input: ProgramInput | undefined;
  /** The line being typed, not yet sent. */
  private line = '';
  /** After Ctrl-D the program's stdin is closed: there is nowhere for typing to go. */
  private inputEnded = false;

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

  /** Sends what is typed in the terminal to `input` until the returned disposable is disposed. */
  acceptInput(input: ProgramInput): vscode.Disposable {
    this.input = input;
    this.line = '';
    this.inputEnded = false;
    return new vscode.Disposable(() => {
      // A newer run may have taken the terminal over already.
      if (this.input === input) this.input = undefined;
    });
  }

  dispose(): void {
    this.terminal?.dispose();
    this.writeEmitter.dispose();
  }

  private type(data: string): void {
    for (const [key] of data.matchAll(KEY)) {
      const input = this.input;
      if (!input) return; // no run is going (any more): typing goes nowhere, silently
      if (key === CTRL_C) {
        this.echo('^C\r\n');
        this.line = '';
        void input.stop();
      } else if (this.inputEnded) {
        continue;
      } else if (ENTER.test(key)) {
        this.echo('\r\n');
        input.writeInput(this.line + '\n');
        this.line = '';
      } else if (key === CTRL_D) {
        // As in a terminal: on an empty line, end-of-file; otherwise the line so far is sent.
        if (this.line === '') {
          input.endInput();
          this.inputEnded = true;
        } else {
          input.writeInput(this.line);
          this.line = '';
        }
      } else if (BACKSPACE.test(key)) {
        if (this.line === '') continue;
        this.line = Array.from(this.line).slice(0, -1).join('');
        this.echo('\b \b');
      } else if (!key.startsWith('\x1b') && !CONTROL.test(key)) {
        this.line += key;
        this.echo(key);
      }
    }
  }

  private echo(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
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
      handleInput: (data) => this.type(data),
    };
    this.terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Parallel Lab: program output'), pty });
    return this.terminal;
  }
}
