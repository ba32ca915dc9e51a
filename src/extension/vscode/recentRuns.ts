// The "Recent Runs" view: saved run records, newest first; a click reopens one in the panel.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore, SavedRun } from '../engine/storage/runStore';

export class RecentRunsProvider implements vscode.TreeDataProvider<SavedRun> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: RunStore) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: SavedRun): Promise<SavedRun[]> | SavedRun[] {
    return element ? [] : this.store.list();
  }

  getTreeItem(run: SavedRun): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(run.file), vscode.TreeItemCollapsibleState.None);
    const when = new Date(run.startedAt).toLocaleString();
    const how =
      run.outcome === 'exited' ? vscode.l10n.t('exit code {0}', String(run.exitCode ?? '–')) : run.outcome === 'timed-out' ? vscode.l10n.t('timed out') : vscode.l10n.t('stopped');
    item.description = `${when} · ${how} · ${(run.durationMs / 1000).toFixed(1)} s`;
    item.tooltip = run.file;
    item.iconPath = new vscode.ThemeIcon(run.outcome === 'exited' && run.exitCode === 0 ? 'pass' : 'warning');
    item.contextValue = 'savedRun';
    item.command = { command: 'parallelLab.openRun', title: vscode.l10n.t('Open Saved Run…'), arguments: [vscode.Uri.file(run.path)] };
    return item;
  }
}
