// The extension host's entry point: builds the parts (lesson tree, recent runs, CodeLens,
// panel, decorations, status bar, program output, log) and registers the commands. The
// work itself is in runController.ts and, below it, the engine.

import * as vscode from 'vscode';
import { loadLessonManifest, samplesDir } from './engine/lessons/lessonCatalog';
import { RunStore } from './engine/storage/runStore';
import { ParallelLabCodeLensProvider } from './vscode/codeLens';
import { registerCommands } from './vscode/commands';
import { LessonProgress } from './vscode/lessonProgress';
import { LessonTreeProvider } from './vscode/lessonTree';
import { LineDecorations } from './vscode/lineDecorations';
import { ProfilerPanel } from './vscode/profilerPanel';
import { ProgramOutput } from './vscode/programOutput';
import { RecentRunsProvider } from './vscode/recentRuns';
import { RunController } from './vscode/runController';
import { RunStatusItem } from './vscode/runStatusItem';

/** What activate() returns: the parts, for the integration tests that run inside VS Code. */
export interface ParallelLabApi {
  controller: RunController;
  decorations: LineDecorations;
  lessons: LessonTreeProvider;
  panel: ProfilerPanel;
}

export async function activate(context: vscode.ExtensionContext): Promise<ParallelLabApi> {
  const log = vscode.window.createOutputChannel('Parallel Lab', { log: true });
  const lessonsFolder = samplesDir();
  const manifest = await loadLessonManifest(lessonsFolder);
  const progress = new LessonProgress(context.globalState);
  const lessons = new LessonTreeProvider(manifest, lessonsFolder, progress);
  const store = new RunStore(vscode.Uri.joinPath(context.globalStorageUri, 'runs').fsPath, () =>
    vscode.workspace.getConfiguration('parallelLab').get<number>('keepRuns', 20),
  );
  const recentRuns = new RecentRunsProvider(store);
  const decorations = new LineDecorations();
  const panel = new ProfilerPanel(context);
  const output = new ProgramOutput();
  const status = new RunStatusItem();
  const controller = new RunController({
    log,
    output,
    status,
    decorations,
    panel,
    store,
    onFinished: (record) => {
      recentRuns.refresh();
      const sample = lessons.sampleOf(record.file);
      if (sample && record.outcome === 'exited' && record.exitCode === 0) void progress.complete(sample.lesson.id);
    },
  });

  context.subscriptions.push(
    log,
    decorations,
    panel,
    output,
    status,
    controller,
    lessonView(lessons),
    vscode.window.registerTreeDataProvider('parallelLab.recentRuns', recentRuns),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new ParallelLabCodeLensProvider(context)),
    ...registerCommands({ state: context.workspaceState, controller, decorations, lessons, panel, progress, log }),
  );
  return { controller, decorations, lessons, panel };
}

/** The lessons view; in an untrusted workspace it says why nothing can run. */
function lessonView(lessons: LessonTreeProvider): vscode.Disposable {
  const view = vscode.window.createTreeView('parallelLab.lessons', { treeDataProvider: lessons });
  const explainTrust = (): void => {
    view.message = vscode.workspace.isTrusted
      ? undefined
      : vscode.l10n.t('Runs are turned off: this workspace is not trusted, and Parallel Lab runs Python programs. You can still read the lessons.');
  };
  explainTrust();
  return vscode.Disposable.from(view, vscode.workspace.onDidGrantWorkspaceTrust(explainTrust));
}

export function deactivate(): void {
  // Every part is in context.subscriptions; a run in progress is stopped by the controller's dispose.
}
