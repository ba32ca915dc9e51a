// The tracer must not change what a program prints: each sample's stdout, with and without
// Parallel Lab, is the same bytes.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LESSON_MANIFEST_FILE, lessonFilePath } from '../../src/extension/engine/lessons/lessonCatalog';
import { ProfileRun } from '../../src/extension/engine/run/profileRun';
import { parseLessonManifest, type LessonSample } from '../../src/shared/lessonManifest';
import { SAMPLES_DIR } from '../helpers/pythonPrograms';

function runPlain(file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('python3', [file], { cwd: path.dirname(file), env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (_error, stdout) =>
      resolve(stdout),
    );
  });
}

/**
 * The order in which concurrent processes finish their lines is not the tracer's to keep;
 * the lines are compared as a sorted list. For a sample that prints what it measured
 * (timings, PIDs, a race's result: `measuredOutput` in the manifest) the numbers, with
 * their padding, are masked too; every other byte must match.
 */
function comparable(stdout: string, sample: LessonSample): string[] {
  const lines = stdout.split(/(?<=\n)/);
  return (sample.measuredOutput ? lines.map((line) => line.replace(/ *\d+(\.\d+)?/g, ' <n>')) : lines).sort();
}

/** The manifest's samples, read when the file loads so that each sample is its own test. */
function lessonSamples(): LessonSample[] {
  const check = parseLessonManifest(JSON.parse(readFileSync(path.join(SAMPLES_DIR, LESSON_MANIFEST_FILE), 'utf8')));
  if (!check.ok) throw new Error(check.problems.join('\n'));
  return check.manifest.lessons.flatMap((lesson) => lesson.samples);
}

describe('transparency: samples print the same with and without the tracer', function () {
  this.timeout(120_000);
  const samples = lessonSamples();

  // With PYTHONUNBUFFERED set (as on some machines), print() writes its text and its newline
  // in two writes, and two processes printing at once can interleave them: the program's own
  // race, traced or not. Block buffering (Python's default for a pipe) writes each
  // process's output whole, so the comparison sees what the tracer changed and nothing else.
  const unbuffered = process.env.PYTHONUNBUFFERED;
  before(() => delete process.env.PYTHONUNBUFFERED);
  after(() => {
    if (unbuffered !== undefined) process.env.PYTHONUNBUFFERED = unbuffered;
  });

  it('has the samples to compare', () => assert.ok(samples.length >= 10, `samples: ${samples.length}`));

  for (const sample of samples) {
    it(sample.file, async () => {
      const file = lessonFilePath(SAMPLES_DIR, sample.file);
      const record = await (await ProfileRun.start({ file })).finished;
      const plain = await runPlain(file);
      assert.ok(record.events.received > 0, 'the tracer was on');
      assert.ok(plain.length > 0, 'the sample prints something to compare');
      assert.deepEqual(comparable(record.stdout, sample), comparable(plain, sample));
    });
  }
});
