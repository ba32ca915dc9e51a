// The commands of the "Parallel Lab" category, each a thin layer over the controller, the
// panel or the lesson tree.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Lesson, LessonSample } from '../../shared/lessonManifest';
import type { LockEventList, RunRecord } from '../../shared/runRecord';
import { toChromeTrace } from '../engine/export/chromeTrace';
import { writeJsonFile } from '../engine/storage/jsonFile';
import { loadRecord } from '../engine/storage/runStore';
import { selectInterpreter } from './interpreter';
import type { LessonProgress } from './lessonProgress';
import type { LessonNode, LessonTreeProvider } from './lessonTree';
import type { LineDecorations } from './lineDecorations';
import type { ProfilerPanel } from './profilerPanel';
import type { RunController } from './runController';
import { runInParallel } from './scalingCommand';

export interface CommandParts {
  /** Workspace state: the inputs last used for each function. */
  state: vscode.Memento;
  controller: RunController;
  decorations: LineDecorations;
  lessons: LessonTreeProvider;
  panel: ProfilerPanel;
  progress: LessonProgress;
  log: vscode.LogOutputChannel;
}

export function registerCommands(parts: CommandParts): vscode.Disposable[] {
  const { state, controller, decorations, lessons, panel, progress, log } = parts;
  let shownRecord: RunRecord<LockEventList> | undefined;

  const runFile = async (uri?: vscode.Uri): Promise<RunRecord<LockEventList> | undefined> => {
    const file = uri?.fsPath ?? pythonFileInEditor();
    if (!file) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a saved Python file to profile it.'));
      return undefined;
    }
    const record = await controller.run(file, lessons.sampleOf(file)?.sample.startMethod);
    shownRecord = record ?? shownRecord;
    return record;
  };

  const runSample = async (lesson: Lesson, sample: LessonSample): Promise<RunRecord<LockEventList> | undefined> => {
    const file = lessons.filePath(sample.file);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One, preview: false });
    const record = await controller.run(file, sample.startMethod);
    shownRecord = record ?? shownRecord;
    if (record?.outcome === 'exited' && record.exitCode !== 0 && sample.startMethod === undefined) {
      log.warn(`lesson ${lesson.id}: ${sample.file} ended with exit code ${record.exitCode}`);
    }
    return record;
  };

  return [
    vscode.commands.registerCommand('parallelLab.runFile', runFile),
    vscode.commands.registerCommand('parallelLab.runInParallel', (uri?: vscode.Uri, functionName?: string) =>
      runInParallel(state, panel, log, uri, functionName),
    ),
    vscode.commands.registerCommand('parallelLab.runLesson', async (node?: LessonNode) => {
      const picked = node ? fromNode(node) : await pickSample(lessons);
      return picked ? runSample(picked.lesson, picked.sample) : undefined;
    }),
    vscode.commands.registerCommand('parallelLab.stop', () => controller.stop()),
    vscode.commands.registerCommand('parallelLab.showProfiler', () => panel.reveal()),
    vscode.commands.registerCommand('parallelLab.openRun', async (uri?: vscode.Uri) => {
      const file = uri ?? (await pickRecordFile());
      if (!file) return;
      try {
        const record = await loadRecord(file.fsPath);
        shownRecord = record;
        const text = await vscode.workspace.fs.readFile(vscode.Uri.file(record.file)).then(
          (bytes) => Buffer.from(bytes).toString('utf8'),
          () => null,
        );
        panel.showRecord(record, text === null ? null : { file: record.file, text }, file.fsPath);
        decorations.show(record);
      } catch (error) {
        void vscode.window.showErrorMessage((error as Error).message);
      }
    }),
    vscode.commands.registerCommand('parallelLab.exportTrace', async () => {
      const record = shownRecord ?? controller.latestRecord;
      if (!record) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Run a program first; its trace can then be exported.'));
        return;
      }
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(path.dirname(record.file), `${path.basename(record.file, '.py')}.trace.json`)),
        filters: { [vscode.l10n.t('Chrome trace')]: ['json'] },
        title: vscode.l10n.t('Export a trace that opens in Perfetto and chrome://tracing'),
      });
      if (!target) return;
      await writeJsonFile(target.fsPath, toChromeTrace(record));
      void vscode.window.showInformationMessage(vscode.l10n.t('Trace written to {0}. Open it at ui.perfetto.dev or chrome://tracing.', target.fsPath));
    }),
    vscode.commands.registerCommand('parallelLab.selectInterpreter', selectInterpreter),
    vscode.commands.registerCommand('parallelLab.resetProgress', () => progress.reset()),
    vscode.commands.registerCommand('parallelLab.openLessonText', (node?: LessonNode) => {
      if (!node) return;
      const uri = vscode.Uri.file(lessons.filePath(node.lesson.text));
      // The text reads beside the code, rendered, not as Markdown source.
      return vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    }),
    vscode.commands.registerCommand('parallelLab.revealInTimeline', (target?: { file: string; line: number }) => {
      if (target) panel.revealLine(target.file, target.line);
    }),
  ];
}

function pythonFileInEditor(): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && document.languageId === 'python' && document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
}

function fromNode(node: LessonNode): { lesson: Lesson; sample: LessonSample } | undefined {
  if (node.kind === 'sample') return { lesson: node.lesson, sample: node.sample };
  const sample = node.lesson.samples[0];
  return sample ? { lesson: node.lesson, sample } : undefined;
}

async function pickSample(lessons: LessonTreeProvider): Promise<{ lesson: Lesson; sample: LessonSample } | undefined> {
  type Item = vscode.QuickPickItem & { lesson: Lesson; sample: LessonSample };
  const items: Item[] = lessons.lessons.flatMap((lesson) =>
    lesson.samples.map((sample) => ({ label: `${lesson.order}. ${lesson.title}`, description: sample.file.split('/').pop(), detail: sample.title, lesson, sample })),
  );
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Run a lesson sample'), matchOnDescription: true, matchOnDetail: true });
  return picked ? { lesson: picked.lesson, sample: picked.sample } : undefined;
}

async function pickRecordFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Parallel Lab run record')]: ['json'] },
    title: vscode.l10n.t('Open a saved run'),
  });
  return picked?.[0];
}
