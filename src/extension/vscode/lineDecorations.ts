// Figures on the source lines that caused them: after a line with lock, message or task
// activity, "waited 120 ms · held 30 ms · 10 processes", with a hover giving the details
// and a link that reveals the line's events in the panel's timeline. Updated live during
// a run; cleared as soon as the file is edited (the lines may no longer match).

import * as vscode from 'vscode';
import { formatBytes, formatMs } from '../../shared/format';
import { describeLineActivity, lineActivity, type ActivityView, type LineActivity } from '../../shared/lineActivity';

export class LineDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    isWholeLine: true,
  });
  private record: ActivityView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.type,
      vscode.window.onDidChangeVisibleTextEditors(() => this.apply()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.record && event.contentChanges.length > 0 && sameFile(event.document.uri, this.record.file)) this.clear();
      }),
    );
  }

  /** Shows a record's figures (a live snapshot or a finished run). */
  show(record: ActivityView): void {
    this.record = record;
    this.apply();
  }

  clear(): void {
    this.record = undefined;
    this.apply();
  }

  /** The figures currently shown on a line (0-based), for tests and the hover. */
  figureAt(file: string, line: number): string | undefined {
    if (!this.record || !sameFile(vscode.Uri.file(file), this.record.file)) return undefined;
    const activity = lineActivity(this.record, this.record.file).find((entry) => entry.line === line + 1);
    return activity ? describeLineActivity(activity) : undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private apply(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!this.record || !sameFile(editor.document.uri, this.record.file) || editor.document.isDirty) {
        editor.setDecorations(this.type, []);
        continue;
      }
      const options = lineActivity(this.record, this.record.file)
        .filter((activity) => activity.line - 1 < editor.document.lineCount)
        .map((activity) => this.decoration(editor.document, activity));
      editor.setDecorations(this.type, options);
    }
  }

  private decoration(document: vscode.TextDocument, activity: LineActivity): vscode.DecorationOptions {
    const range = document.lineAt(activity.line - 1).range;
    const hover = new vscode.MarkdownString(undefined, true);
    hover.isTrusted = { enabledCommands: ['parallelLab.revealInTimeline'] };
    hover.appendMarkdown(`**${vscode.l10n.t('Parallel Lab: line {0}', activity.line)}**\n\n`);
    if (activity.lockCycles + activity.lockFailures > 0) {
      hover.appendMarkdown(`- ${vscode.l10n.t('Locks: {0}', names(activity.lockNames))}\n`);
      hover.appendMarkdown(
        `- ${vscode.l10n.t('{0} lock acquisitions, waited {1} in all, held {2} in all', activity.lockCycles, formatMs(activity.waitMs), formatMs(activity.holdMs))}\n`,
      );
      if (activity.lockFailures > 0) hover.appendMarkdown(`- ${vscode.l10n.t('{0} acquisitions failed or never finished', activity.lockFailures)}\n`);
    }
    for (const waits of activity.signalWaits) {
      // A wait for a signal, not for a lock: no contention, nothing held.
      const text = {
        event: vscode.l10n.t('{0} waits for the event {1}, {2} in all', waits.waits, names(waits.names), formatMs(waits.waitMs)),
        barrier: vscode.l10n.t('{0} waits at the barrier {1}, {2} in all', waits.waits, names(waits.names), formatMs(waits.waitMs)),
        notify: vscode.l10n.t('{0} waits for notify on {1}, {2} in all', waits.waits, names(waits.names), formatMs(waits.waitMs)),
      }[waits.signal];
      hover.appendMarkdown(`- ${text}\n`);
      if (waits.unanswered > 0) hover.appendMarkdown(`- ${vscode.l10n.t('{0} of them ended without the signal', waits.unanswered)}\n`);
    }
    if (activity.messages > 0) {
      hover.appendMarkdown(`- ${vscode.l10n.t('{0} messages, {1}, blocked {2}', activity.messages, formatBytes(activity.bytes), formatMs(activity.blockedMs))}\n`);
      hover.appendMarkdown(`- ${vscode.l10n.t('Channels: {0}', names(activity.channelNames))}\n`);
    }
    if (activity.tasks > 0) {
      const tasks = activity.items === activity.tasks
        ? vscode.l10n.t('{0} pool tasks', activity.tasks)
        : vscode.l10n.t('{0} pool tasks carrying {1} items', activity.tasks, activity.items);
      hover.appendMarkdown(`- ${tasks}\n`);
    }
    hover.appendMarkdown(`- ${vscode.l10n.t('processes: {0}', activity.pids.join(', '))}\n\n`);
    const args = encodeURIComponent(JSON.stringify([{ file: this.record?.file, line: activity.line }]));
    hover.appendMarkdown(`[${vscode.l10n.t('Show these events in the timeline')}](command:parallelLab.revealInTimeline?${args})`);
    return { range, hoverMessage: hover, renderOptions: { after: { contentText: describeLineActivity(activity) } } };
  }
}

/** Names as code in the hover's Markdown: `lock`, `self.lock`. */
function names(list: readonly string[]): string {
  return list.map((name) => `\`${name.replace(/`/g, "'")}\``).join(', ');
}

function sameFile(uri: vscode.Uri, file: string): boolean {
  return uri.scheme === 'file' && vscode.Uri.file(file).fsPath === uri.fsPath;
}
