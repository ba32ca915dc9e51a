// The lesson manifest (samples/lessons.json): which lessons exist, in which order, with
// which text and samples, and where to look in the profiler. Plain data and a validator
// with no file-system access, so the extension host, the webview and the tests can all
// use it; checking that the files exist is the engine's job (engine/lessons/lessonCatalog.ts).

import { START_METHODS, type StartMethod } from './runRecord';

export const LESSON_MANIFEST_SCHEMA = 'parallel-lab/lessons@1';

/** The parts of the profiler a lesson can point the learner to. */
export const LESSON_VIEWS = ['processes', 'cores', 'timeline', 'waits', 'messages', 'tasks', 'code', 'output', 'warnings'] as const;

export type LessonView = (typeof LESSON_VIEWS)[number];

export interface LessonSample {
  /** Path relative to the manifest's folder, with forward slashes, e.g. "04-sharing-memory/counter.py". */
  file: string;
  /** What the sample shows, in a few words. */
  title: string;
  /** The start method the sample is meant to run with, when it matters (the missing main guard needs spawn). */
  startMethod?: StartMethod;
  /** The sample shows its point only with at least this many logical CPUs. */
  minCores?: number;
  /**
   * The sample prints what it measured (timings, PIDs, the result of a race), so its output
   * differs from run to run in its numbers; other samples print the same bytes every time.
   */
  measuredOutput?: boolean;
}

export interface Lesson {
  /** 1, 2, 3…: the manifest's lessons, in this order, with no gaps. */
  order: number;
  /** Stable identifier, lower-case words joined by hyphens, e.g. "sharing-memory". */
  id: string;
  title: string;
  /** The lesson's text (Markdown), relative to the manifest's folder. */
  text: string;
  samples: LessonSample[];
  /** Where to look in the profiler while the samples run. */
  lookFor: LessonView[];
}

export interface LessonManifest {
  schema: typeof LESSON_MANIFEST_SCHEMA;
  lessons: Lesson[];
}

export type ManifestCheck = { ok: true; manifest: LessonManifest } | { ok: false; problems: string[] };

const LESSON_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Checks the shape and the consistency of a parsed lessons.json: ids unique, orders 1..n,
 * every lesson with a text and at least one sample, paths that stay inside the folder.
 * Returns every problem found, not just the first, so one fix-up pass is enough.
 */
export function parseLessonManifest(data: unknown): ManifestCheck {
  const problems: string[] = [];
  if (!isObject(data)) return { ok: false, problems: ['The lesson manifest must be a JSON object.'] };
  if (data.schema !== LESSON_MANIFEST_SCHEMA) {
    problems.push(`The lesson manifest's "schema" must be "${LESSON_MANIFEST_SCHEMA}".`);
  }
  if (!Array.isArray(data.lessons) || data.lessons.length === 0) {
    problems.push('The lesson manifest must have a non-empty "lessons" list.');
    return { ok: false, problems };
  }
  const lessons = data.lessons.map((entry: unknown, index: number) => checkLesson(entry, `lesson #${index + 1}`, problems));
  const complete = lessons.filter((lesson): lesson is Lesson => lesson !== null);
  if (complete.length === lessons.length) checkAcrossLessons(complete, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, manifest: { schema: LESSON_MANIFEST_SCHEMA, lessons: [...complete].sort((a, b) => a.order - b.order) } };
}

/** Every file a lesson refers to (its text, then its samples), relative to the manifest's folder. */
export function lessonFiles(lesson: Lesson): string[] {
  return [lesson.text, ...lesson.samples.map((sample) => sample.file)];
}

function checkLesson(entry: unknown, where: string, problems: string[]): Lesson | null {
  if (!isObject(entry)) {
    problems.push(`${where} must be an object.`);
    return null;
  }
  const before = problems.length;
  const name = typeof entry.id === 'string' ? `lesson "${entry.id}"` : where;
  if (typeof entry.id !== 'string' || !LESSON_ID.test(entry.id)) {
    problems.push(`${where} needs an "id" made of lower-case words joined by hyphens.`);
  }
  if (!Number.isInteger(entry.order)) problems.push(`${name} needs a whole-number "order".`);
  if (!isNonEmptyString(entry.title)) problems.push(`${name} needs a "title".`);
  if (!isNonEmptyString(entry.text)) {
    problems.push(`${name} needs a "text": the path of its Markdown file.`);
  } else {
    checkRelativePath(entry.text, '.md', `${name}'s text`, problems);
  }
  if (!Array.isArray(entry.samples) || entry.samples.length === 0) {
    problems.push(`${name} needs at least one sample.`);
  } else {
    entry.samples.forEach((sample: unknown, index: number) => checkSample(sample, `${name}'s sample #${index + 1}`, problems));
  }
  if (!Array.isArray(entry.lookFor) || entry.lookFor.length === 0) {
    problems.push(`${name} needs a "lookFor" list naming at least one view.`);
  } else {
    for (const view of entry.lookFor) {
      if (!(LESSON_VIEWS as readonly unknown[]).includes(view)) {
        problems.push(`${name} asks to look at "${String(view)}", which is not a view (one of: ${LESSON_VIEWS.join(', ')}).`);
      }
    }
  }
  return problems.length === before ? (entry as unknown as Lesson) : null;
}

function checkSample(sample: unknown, where: string, problems: string[]): void {
  if (!isObject(sample)) {
    problems.push(`${where} must be an object.`);
    return;
  }
  if (!isNonEmptyString(sample.file)) {
    problems.push(`${where} needs a "file".`);
  } else {
    checkRelativePath(sample.file, '.py', where, problems);
  }
  if (!isNonEmptyString(sample.title)) problems.push(`${where} needs a "title".`);
  if (sample.startMethod !== undefined && !(START_METHODS as readonly unknown[]).includes(sample.startMethod)) {
    problems.push(`${where} has an unknown "startMethod"; use one of ${START_METHODS.join(', ')}.`);
  }
  if (sample.minCores !== undefined && !(Number.isInteger(sample.minCores) && (sample.minCores as number) >= 1)) {
    problems.push(`${where} has a "minCores" that is not a whole number of at least 1.`);
  }
  if (sample.measuredOutput !== undefined && typeof sample.measuredOutput !== 'boolean') {
    problems.push(`${where} has a "measuredOutput" that is not true or false.`);
  }
}

function checkAcrossLessons(lessons: Lesson[], problems: string[]): void {
  const ids = new Set<string>();
  for (const lesson of lessons) {
    if (ids.has(lesson.id)) problems.push(`Two lessons have the id "${lesson.id}"; ids must be unique.`);
    ids.add(lesson.id);
  }
  const orders = lessons.map((lesson) => lesson.order).sort((a, b) => a - b);
  const expected = lessons.map((_, index) => index + 1);
  if (orders.join() !== expected.join()) {
    problems.push(`The lessons' orders are ${orders.join(', ')}; they must be 1 to ${lessons.length}, each once.`);
  }
}

/** Paths stay relative and inside the samples folder: the extension runs what they name. */
function checkRelativePath(file: string, extension: string, where: string, problems: string[]): void {
  const segments = file.split('/');
  if (file.startsWith('/') || file.includes('\\') || /^[a-zA-Z]:/.test(file) || segments.some((part) => part === '..' || part === '')) {
    problems.push(`${where} "${file}" must be a relative path inside the samples folder, with forward slashes.`);
  }
  if (!file.endsWith(extension)) problems.push(`${where} "${file}" must be a ${extension} file.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
