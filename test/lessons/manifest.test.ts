// The lesson manifest: its validator catches broken manifests, the real one passes it with
// every file in place, and the README and the lesson texts agree with it.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LESSON_MANIFEST_SCHEMA, parseLessonManifest, type Lesson, type LessonManifest } from '../../src/shared/lessonManifest';
import { loadLessonManifest, missingLessonFiles, samplesDir } from '../../src/extension/engine/lessons/lessonCatalog';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/pythonPrograms';

function lesson(overrides: Partial<Lesson> = {}): Lesson {
  return {
    order: 1,
    id: 'first',
    title: 'First',
    text: '01-first/lesson.md',
    samples: [{ file: '01-first/sample.py', title: 'a sample' }],
    lookFor: ['processes'],
    ...overrides,
  };
}

function problemsOf(data: unknown): string[] {
  const check = parseLessonManifest(data);
  assert.equal(check.ok, false, 'the manifest is refused');
  return check.ok ? [] : check.problems;
}

describe('the lesson manifest validator', () => {
  it('accepts a good manifest and sorts its lessons by order', () => {
    const check = parseLessonManifest({ schema: LESSON_MANIFEST_SCHEMA, lessons: [lesson({ order: 2, id: 'second' }), lesson()] });
    assert.ok(check.ok);
    assert.deepEqual(check.manifest.lessons.map((l) => l.id), ['first', 'second']);
  });

  it('refuses duplicate ids, gaps in the order, and a lesson without a text or samples', () => {
    const problems = problemsOf({
      schema: LESSON_MANIFEST_SCHEMA,
      lessons: [lesson(), lesson({ order: 3 }), lesson({ order: 4, id: 'no-text', text: '' }), lesson({ order: 5, id: 'empty', samples: [] })],
    });
    assert.ok(problems.some((p) => /lesson "no-text" needs a "text"/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /lesson "empty" needs at least one sample/.test(p)), problems.join('\n'));
    const fixed = problemsOf({ schema: LESSON_MANIFEST_SCHEMA, lessons: [lesson(), lesson({ order: 3 })] });
    assert.ok(fixed.some((p) => /two lessons have the id "first"/i.test(p)), fixed.join('\n'));
    assert.ok(fixed.some((p) => /orders are 1, 3; they must be 1 to 2/.test(p)), fixed.join('\n'));
  });

  it('refuses paths that leave the samples folder, unknown views and bad fields', () => {
    const problems = problemsOf({
      schema: 'something else',
      lessons: [
        lesson({
          id: 'Bad Id',
          text: '../outside.md',
          samples: [{ file: '/etc/sample.py', title: '', startMethod: 'clone' as never, minCores: 0 }],
          lookFor: ['flames' as never],
        }),
      ],
    });
    for (const expected of [/"schema" must be/, /needs an "id"/, /"\.\.\/outside\.md" must be a relative path/, /"\/etc\/sample\.py" must be a relative path/,
      /needs a "title"/, /unknown "startMethod"/, /"minCores"/, /"flames", which is not a view/]) {
      assert.ok(problems.some((p) => expected.test(p)), `${expected} in:\n${problems.join('\n')}`);
    }
    assert.deepEqual(problemsOf([]), ['The lesson manifest must be a JSON object.']);
  });

  it('reports files that are missing from the folder', () => {
    const manifest: LessonManifest = { schema: LESSON_MANIFEST_SCHEMA, lessons: [lesson()] };
    const problems = missingLessonFiles(manifest, mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-lessons-')));
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0], /names 01-first\/lesson\.md, which is not a file/);
  });
});

describe('the lessons in samples/', () => {
  let manifest: LessonManifest;
  before(async () => {
    manifest = await loadLessonManifest(samplesDir());
  });

  it('are found next to the compiled code, and their manifest is valid with every file in place', () => {
    assert.equal(samplesDir(), SAMPLES_DIR);
    assert.ok(manifest.lessons.length >= 7);
  });

  it('each have a text that asks, runs, explains and suggests, naming each of its samples', () => {
    for (const entry of manifest.lessons) {
      const text = readFileSync(path.join(SAMPLES_DIR, entry.text), 'utf8');
      for (const heading of ['Predict', 'Run', 'Explain', 'Try this']) {
        assert.match(text, new RegExp(`^## ${heading}`, 'm'), `${entry.text} has a "${heading}" section`);
      }
      for (const sample of entry.samples) {
        assert.ok(text.includes(`node dist/cli.js run samples/${sample.file}`), `${entry.text} shows how to run ${sample.file}`);
      }
    }
  });

  it('have main guards, except the deliberate counter-example', () => {
    for (const sample of manifest.lessons.flatMap((entry) => entry.samples)) {
      const source = readFileSync(path.join(SAMPLES_DIR, sample.file), 'utf8');
      const guarded = /^if __name__ == "__main__":/m.test(source); // a comment may quote the guard
      assert.equal(guarded, !sample.file.endsWith('no_main_guard.py'), `${sample.file} main guard`);
    }
  });

  it('are all listed in the README, by title', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Lessons'));
    assert.ok(readme.includes('## Lessons'), 'the README has a Lessons section');
    for (const entry of manifest.lessons) assert.ok(section.includes(entry.title), `the README lists "${entry.title}"`);
  });
});
