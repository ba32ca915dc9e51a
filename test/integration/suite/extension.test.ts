// Runs inside VS Code's extension host (code-server here, VS Code where it can be
// downloaded): the real extension, real commands, real Python.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { ParallelLabApi } from '../../../src/extension/extension';
import { isProcessAlive } from '../../../src/extension/engine/run/processTree';
import type { LessonNode } from '../../../src/extension/vscode/lessonTree';
import type { RunRecord } from '../../../src/shared/runRecord';

const EXTENSION_ID = 'parallel-lab.parallel-lab';

async function parallelLab(): Promise<ParallelLabApi> {
  const extension = vscode.extensions.getExtension<ParallelLabApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" in ${file}`);
  return index;
}

describe('Parallel Lab inside VS Code', function () {
  this.timeout(120_000);

  it('registers its commands', async () => {
    await parallelLab();
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'parallelLab.runFile', 'parallelLab.runLesson', 'parallelLab.runInParallel', 'parallelLab.stop',
      'parallelLab.showProfiler', 'parallelLab.openRun', 'parallelLab.exportTrace', 'parallelLab.selectInterpreter',
    ]) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('lists the lessons in order in the lesson tree', async () => {
    const { lessons } = await parallelLab();
    const nodes = lessons.getChildren();
    const labels = nodes.map((node) => {
      const { label } = lessons.getTreeItem(node);
      return typeof label === 'object' ? label.label : String(label);
    });
    assert.ok(labels.length >= 7, `at least seven lessons (${labels.length})`);
    labels.forEach((label, i) => assert.match(label, new RegExp(`^${i + 1}\\. `), `lesson ${i + 1} is in place: ${label}`));
    assert.match(labels[0], /processes/i);
    const children = lessons.getChildren(nodes[0]);
    assert.equal(children[0].kind, 'text', 'each lesson opens with its text');
    assert.ok(children.some((child) => child.kind === 'sample'), 'and lists its samples');
  });

  it('shows CodeLens on the main guard and on top-level functions', async () => {
    const { lessons } = await parallelLab();
    const file = lessons.filePath('04-sharing-memory/counter.py');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const at = (title: string): number[] => lenses.filter((lens) => lens.command?.title === title).map((lens) => lens.range.start.line);
    assert.deepEqual(at('▶ Profile'), [lineOf(file, 'if __name__ == "__main__":')]);
    assert.deepEqual(at('Run in parallel'), [lineOf(file, 'def add_one')]);
  });

  it('decorates the lock line after a run of the counter lesson', async () => {
    const { lessons, decorations } = await parallelLab();
    const lesson = lessons.lessons.find((candidate) => candidate.samples.some((sample) => sample.file.endsWith('counter.py')));
    assert.ok(lesson);
    const sample = lesson.samples.find((candidate) => candidate.file.endsWith('counter.py'))!;
    const node: LessonNode = { kind: 'sample', lesson, sample };
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('parallelLab.runLesson', node);
    assert.ok(record, 'the run finished');
    assert.equal(record.stdout, '10\n');
    const file = lessons.filePath(sample.file);
    const figure = decorations.figureAt(file, lineOf(file, 'with counter.get_lock():'));
    assert.match(figure ?? '', /^waited [\d.]+ m?s · held [\d.]+ m?s · 10 processes$/);
  });

  it('Stop ends a never-ending sample with no process left', async () => {
    const { controller } = await parallelLab();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-forever-')), 'forever.py');
    writeFileSync(
      file,
      [
        'import time',
        'from multiprocessing import Process',
        '',
        'def spin():',
        '    while True:',
        '        time.sleep(0.1)',
        '',
        'if __name__ == "__main__":',
        '    for _ in range(3):',
        '        Process(target=spin).start()',
        '    spin()',
        '',
      ].join('\n'),
    );
    const running = controller.run(file);
    const deadline = Date.now() + 20_000;
    while (!controller.isRunning && Date.now() < deadline) await delay(100);
    await delay(1500); // the children are up
    await vscode.commands.executeCommand('parallelLab.stop');
    const record = await running;
    assert.ok(record);
    assert.equal(record.outcome, 'stopped');
    assert.ok(record.processes.filter((p) => p.role === 'process').length >= 3, 'the children were seen');
    assert.deepEqual(record.processes.map((p) => p.pid).filter((pid) => isProcessAlive(pid)), [], 'no process left');
  });
});
