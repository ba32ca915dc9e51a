// Which lessons the learner has completed (their sample ran to a successful end), kept in
// the extension's global state so the check marks survive restarts.

import * as vscode from 'vscode';

const KEY = 'parallelLab.completedLessons';

export class LessonProgress {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  isComplete(lessonId: string): boolean {
    return this.completed().includes(lessonId);
  }

  async complete(lessonId: string): Promise<void> {
    if (this.isComplete(lessonId)) return;
    await this.state.update(KEY, [...this.completed(), lessonId]);
    this.changed.fire();
  }

  async reset(): Promise<void> {
    await this.state.update(KEY, []);
    this.changed.fire();
  }

  private completed(): string[] {
    return this.state.get<string[]>(KEY, []);
  }
}
