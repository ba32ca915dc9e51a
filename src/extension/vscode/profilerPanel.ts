// The profiler panel's host side: one webview beside the editor that renders a live run
// (deltas) or a finished record. It is restored after a window reload by its serializer
// (the last record it showed is kept in workspace state), and it turns the webview's
// "reveal this line" into an editor selection.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { LiveDelta, LiveRunStart } from '../../shared/liveDeltas';
import type { FromWebview, SourceText, ToWebview } from '../../shared/protocol';
import type { LockEventList, RunRecord } from '../../shared/runRecord';
import type { ScalingResult } from '../../shared/scaling';
import { panelContentSecurityPolicy } from '../engine/export/contentSecurityPolicy';
import { loadRecord } from '../engine/storage/runStore';

export const PROFILER_VIEW_TYPE = 'parallelLab.profiler';
const LAST_RECORD_KEY = 'parallelLab.panelRecordPath';

type Content =
  | { kind: 'live'; run: LiveRunStart; source: SourceText | null; deltas: LiveDelta[] }
  | { kind: 'record'; record: RunRecord<LockEventList>; source: SourceText | null }
  | { kind: 'scaling'; result: ScalingResult };

export class ProfilerPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private content: Content | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PROFILER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          this.adopt(panel);
          await this.restoreLastRecord();
        },
      }),
    );
  }

  /** Opens (or reveals) the panel beside the editor. */
  reveal(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PROFILER_VIEW_TYPE,
      vscode.l10n.t('Parallel Lab Profiler'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  showLive(run: LiveRunStart, source: SourceText | null): void {
    this.content = { kind: 'live', run, source, deltas: [] };
    this.reveal();
    this.post({ type: 'live-start', run, source });
  }

  pushDeltas(deltas: LiveDelta[]): void {
    if (deltas.length === 0 || this.content?.kind !== 'live') return;
    // Kept so a panel that reloads mid-run can catch up.
    this.content.deltas.push(...deltas);
    this.post({ type: 'deltas', deltas });
  }

  showRecord(record: RunRecord<LockEventList>, source: SourceText | null, savedPath?: string): void {
    this.content = { kind: 'record', record, source };
    if (savedPath) void this.context.workspaceState.update(LAST_RECORD_KEY, savedPath);
    this.reveal();
    this.post({ type: 'record', record: withEventArray(record), source });
  }

  /** The scaling lab's result ("Run in parallel"). */
  showScaling(result: ScalingResult): void {
    this.content = { kind: 'scaling', result };
    this.reveal();
    this.post({ type: 'scaling', result });
  }

  /** Filters the timeline to one source line's events (from an editor hover). */
  revealLine(file: string, line: number): void {
    this.reveal();
    this.post({ type: 'revealLine', file, line });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // Only the built webview can be loaded: no workspace file, no other extension file.
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    }, undefined, this.disposables);
    panel.webview.onDidReceiveMessage((message: FromWebview) => this.receive(message), undefined, this.disposables);
  }

  private receive(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendContent();
        break;
      case 'revealSource':
        void revealSource(message.file, message.line);
        break;
    }
  }

  private sendContent(): void {
    if (!this.content) return;
    if (this.content.kind === 'record') {
      this.post({ type: 'record', record: withEventArray(this.content.record), source: this.content.source });
      return;
    }
    if (this.content.kind === 'scaling') {
      this.post({ type: 'scaling', result: this.content.result });
      return;
    }
    this.post({ type: 'live-start', run: this.content.run, source: this.content.source });
    if (this.content.deltas.length > 0) this.post({ type: 'deltas', deltas: this.content.deltas });
  }

  private post(message: ToWebview): void {
    // Before 'ready' the webview is not listening; sendContent() catches it up then.
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private async restoreLastRecord(): Promise<void> {
    const saved = this.context.workspaceState.get<string>(LAST_RECORD_KEY);
    if (!saved) return;
    try {
      const record = await loadRecord(saved);
      const text = await readFile(record.file, 'utf8').catch(() => null);
      this.content = { kind: 'record', record, source: text === null ? null : { file: record.file, text } };
      this.sendContent();
    } catch {
      // The saved run was pruned or moved: the panel opens empty.
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(18).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')).toString();
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.css')).toString();
    const csp = panelContentSecurityPolicy(nonce, webview.cspSource);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Parallel Lab Profiler</title>
</head>
<body>
<main id="root"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

/**
 * The record as the webview takes it: its views look events up by index, so the host's
 * columns become objects here, for as long as the message takes to send.
 */
function withEventArray(record: RunRecord<LockEventList>): RunRecord {
  return { ...record, lockEvents: Array.from(record.lockEvents) };
}

async function revealSource(file: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(position, document.lineAt(position.line).range.end),
  });
}
