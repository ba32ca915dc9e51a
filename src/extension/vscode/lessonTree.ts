// The "Lessons" view: the lessons of samples/lessons.json in order, each with its text and
// its samples, and a check mark once one of its samples has run to a successful end.

import * as vscode from 'vscode';
import type { Lesson, LessonManifest, LessonSample } from '../../shared/lessonManifest';
import { lessonFilePath } from '../engine/lessons/lessonCatalog';
import type { LessonProgress } from './lessonProgress';

export type LessonNode =
  | { kind: 'lesson'; lesson: Lesson }
  | { kind: 'text'; lesson: Lesson }
  | { kind: 'sample'; lesson: Lesson; sample: LessonSample };

export class LessonTreeProvider implements vscode.TreeDataProvider<LessonNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly manifest: LessonManifest,
    private readonly samplesDir: string,
    private readonly progress: LessonProgress,
  ) {
    progress.onDidChange(() => this.changed.fire());
  }

  get lessons(): readonly Lesson[] {
    return this.manifest.lessons;
  }

  /** The absolute path of a sample or text file of a lesson. */
  filePath(relative: string): string {
    return lessonFilePath(this.samplesDir, relative);
  }

  /** The lesson and sample a file belongs to, if it is one of the lessons' samples. */
  sampleOf(file: string): { lesson: Lesson; sample: LessonSample } | undefined {
    for (const lesson of this.manifest.lessons) {
      const sample = lesson.samples.find((candidate) => vscode.Uri.file(this.filePath(candidate.file)).fsPath === vscode.Uri.file(file).fsPath);
      if (sample) return { lesson, sample };
    }
    return undefined;
  }

  getChildren(node?: LessonNode): LessonNode[] {
    if (!node) return this.manifest.lessons.map((lesson) => ({ kind: 'lesson', lesson }));
    if (node.kind !== 'lesson') return [];
    return [{ kind: 'text', lesson: node.lesson }, ...node.lesson.samples.map((sample) => ({ kind: 'sample' as const, lesson: node.lesson, sample }))];
  }

  getTreeItem(node: LessonNode): vscode.TreeItem {
    switch (node.kind) {
      case 'lesson': {
        const done = this.progress.isComplete(node.lesson.id);
        const item = new vscode.TreeItem(`${node.lesson.order}. ${node.lesson.title}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `lesson:${node.lesson.id}`;
        item.iconPath = new vscode.ThemeIcon(done ? 'pass-filled' : 'circle-large-outline');
        item.description = done ? vscode.l10n.t('done') : undefined;
        item.tooltip = vscode.l10n.t('Look at: {0}', node.lesson.lookFor.join(', '));
        item.contextValue = 'lesson';
        return item;
      }
      case 'text': {
        const item = new vscode.TreeItem(vscode.l10n.t('Read the lesson'), vscode.TreeItemCollapsibleState.None);
        item.id = `text:${node.lesson.id}`;
        item.iconPath = new vscode.ThemeIcon('book');
        item.command = { command: 'parallelLab.openLessonText', title: vscode.l10n.t('Open Lesson Text'), arguments: [node] };
        return item;
      }
      case 'sample': {
        const item = new vscode.TreeItem(node.sample.file.split('/').pop() ?? node.sample.file, vscode.TreeItemCollapsibleState.None);
        item.id = `sample:${node.sample.file}`;
        item.description = node.sample.title;
        item.iconPath = new vscode.ThemeIcon('file-code');
        item.resourceUri = vscode.Uri.file(this.filePath(node.sample.file));
        item.contextValue = 'lessonSample';
        item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Sample'), arguments: [item.resourceUri] };
        return item;
      }
    }
  }
}
