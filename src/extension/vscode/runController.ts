// Runs a Python file under the profiler from inside VS Code: one run at a time, streamed
// live into the panel, the status bar, the program-output terminal and the editor; saved
// when it finishes. The run itself is the engine's ProfileRun state machine.

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LockEventList, RunRecord, StartMethod } from '../../shared/runRecord';
import { UserFacingError } from '../engine/run/errors';
import { ProfileRun } from '../engine/run/profileRun';
import type { RunStore } from '../engine/storage/runStore';
import { formatSummary } from '../engine/export/summary';
import { configuredPython } from './interpreter';
import type { LineDecorations } from './lineDecorations';
import type { ProfilerPanel } from './profilerPanel';
import type { ProgramOutput } from './programOutput';
import type { RunStatusItem } from './runStatusItem';

/** How often live deltas go to the panel, and figures to the editor. */
const DELTA_INTERVAL_MS = 100;
const DECORATION_INTERVAL_MS = 1000;

export interface RunControllerParts {
  log: vscode.LogOutputChannel;
  output: ProgramOutput;
  status: RunStatusItem;
  decorations: LineDecorations;
  panel: ProfilerPanel;
  store: RunStore;
  /** Called with each finished record (lesson progress, recent runs). */
  onFinished: (record: RunRecord<LockEventList>, savedPath: string | undefined) => void;
}

interface CurrentRun {
  run: ProfileRun;
  file: string;
}

export class RunController implements vscode.Disposable {
  private current: CurrentRun | undefined;
  private lastRecord: RunRecord<LockEventList> | undefined;

  constructor(private readonly parts: RunControllerParts) {
    void vscode.commands.executeCommand('setContext', 'parallelLab.running', false);
  }

  get latestRecord(): RunRecord<LockEventList> | undefined {
    return this.lastRecord;
  }

  get isRunning(): boolean {
    return this.current !== undefined;
  }

  /**
   * Profiles a file; resolves with the finished record, or undefined if the run did not
   * start. `startMethod` overrides the setting (a lesson sample may need one).
   */
  async run(file: string, startMethod?: StartMethod): Promise<RunRecord<LockEventList> | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = vscode.l10n.t('Manage Workspace Trust');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Parallel Lab runs Python programs, so runs are turned off until you trust this workspace.'),
        manage,
      );
      if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (this.current && !(await this.confirmRerun())) return undefined;

    const document = vscode.workspace.textDocuments.find((doc) => doc.uri.fsPath === file);
    if (document?.isDirty) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has unsaved changes; Parallel Lab runs the saved version.', path.basename(file)));
    }
    return this.start(file, startMethod);
  }

  /** Ends the run's whole process tree. */
  async stop(): Promise<void> {
    await this.current?.run.stop();
  }

  dispose(): void {
    void this.current?.run.stop();
  }

  private async confirmRerun(): Promise<boolean> {
    const stopAndRun = vscode.l10n.t('Stop and Run');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('A run of {0} is still going. Stop it and start this one?', path.basename(this.current?.file ?? '')),
      { modal: true },
      stopAndRun,
    );
    if (choice !== stopAndRun) return false;
    const previous = this.current;
    await previous?.run.stop();
    await previous?.run.finished.catch(() => undefined);
    return true;
  }

  private async start(file: string, requestedStartMethod: StartMethod | undefined): Promise<RunRecord<LockEventList> | undefined> {
    const { log, output, status, decorations, panel } = this.parts;
    const settings = vscode.workspace.getConfiguration('parallelLab', vscode.Uri.file(file));
    const startMethod = requestedStartMethod ?? settings.get<string>('startMethod', 'default');
    const timeoutSeconds = settings.get<number>('timeoutSeconds', 120);

    status.starting(path.basename(file));
    output.begin(path.basename(file));
    let run: ProfileRun;
    try {
      run = await ProfileRun.start(
        {
          file,
          python: await configuredPython(vscode.Uri.file(file)),
          startMethod: startMethod === 'default' ? undefined : (startMethod as StartMethod),
          intervalMs: settings.get<number>('sampleIntervalMs', 100),
          timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
          // What the user types in the program-output terminal goes to the program.
          stdin: 'pipe',
          live: true,
        },
        {
          onOutput: (_stream, text) => output.write(text),
          onTick: (tick) => status.update(tick),
          onState: (state) => log.info(`run of ${file}: ${state}`),
        },
      );
    } catch (error) {
      status.hide();
      await this.explainStartFailure(error);
      return undefined;
    }

    this.current = { run, file };
    const typing = output.acceptInput(run);
    void vscode.commands.executeCommand('setContext', 'parallelLab.running', true);
    panel.showLive(run.liveStart(), await readSource(file));
    decorations.clear();
    const deltaTimer = setInterval(() => panel.pushDeltas(run.drainLiveDeltas()), DELTA_INTERVAL_MS);
    const decorationTimer = setInterval(() => decorations.show(run.activitySnapshot()), DECORATION_INTERVAL_MS);
    try {
      const record = await run.finished;
      panel.pushDeltas(run.drainLiveDeltas());
      this.lastRecord = record;
      const savedPath = await this.parts.store.save(record).catch((error: unknown) => {
        log.warn(`could not save the run record: ${String(error)}`);
        return undefined;
      });
      panel.showRecord(record, await readSource(file), savedPath);
      decorations.show(record);
      log.info(formatSummary(record));
      void vscode.commands.executeCommand('setContext', 'parallelLab.hasRun', true);
      this.parts.onFinished(record, savedPath);
      return record;
    } finally {
      typing.dispose();
      clearInterval(deltaTimer);
      clearInterval(decorationTimer);
      status.hide();
      this.current = undefined;
      void vscode.commands.executeCommand('setContext', 'parallelLab.running', false);
    }
  }

  private async explainStartFailure(error: unknown): Promise<void> {
    const message = error instanceof UserFacingError ? error.message : vscode.l10n.t('The run could not start: {0}', String(error));
    this.parts.log.error(message);
    if (/Python/.test(message)) {
      const select = vscode.l10n.t('Select Python Interpreter');
      if ((await vscode.window.showErrorMessage(message, select)) === select) {
        await vscode.commands.executeCommand('parallelLab.selectInterpreter');
      }
      return;
    }
    void vscode.window.showErrorMessage(message);
  }
}

/** The source as it ran: the saved file, not an editor's unsaved text. */
async function readSource(file: string): Promise<{ file: string; text: string } | null> {
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch {
    return null;
  }
}
