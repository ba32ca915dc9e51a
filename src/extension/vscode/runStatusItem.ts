// The status-bar item of a run in progress: how many processes and how much CPU; a click
// stops the run.

import * as vscode from 'vscode';
import type { SamplerTick } from '../engine/sampling/sampler';

export class RunStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('parallelLab.run', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = vscode.l10n.t('Parallel Lab run');
    this.item.command = 'parallelLab.stop';
  }

  starting(file: string): void {
    this.item.text = `$(loading~spin) ${vscode.l10n.t('Parallel Lab: starting {0}', file)}`;
    this.item.tooltip = vscode.l10n.t('Click to stop the run');
    this.item.show();
  }

  update(tick: SamplerTick): void {
    const cpu = tick.processes.reduce((sum, process) => sum + process.cpu, 0);
    this.item.text = `$(pulse) ${vscode.l10n.t('{0} processes · {1} % CPU', tick.processes.length, Math.round(cpu))}`;
    this.item.tooltip = vscode.l10n.t('Parallel Lab is profiling a run. Click to stop it.');
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
