// Loads samples/lessons.json and checks it against the files on disk: the shared validator
// (src/shared/lessonManifest.ts) knows the shape, this module knows the folder.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { lessonFiles, parseLessonManifest, type LessonManifest } from '../../../shared/lessonManifest';
import { UserFacingError } from '../run/errors';

export const LESSON_MANIFEST_FILE = 'lessons.json';

/** The samples folder: next to the bundle (dist/) or to the compiled sources (out/src/...). */
export function samplesDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'samples'), path.resolve(__dirname, '..', '..', '..', '..', '..', 'samples')];
  return candidates.find((dir) => existsSync(path.join(dir, LESSON_MANIFEST_FILE))) ?? candidates[0];
}

/** Reads and checks the manifest in `dir`; throws a UserFacingError listing every problem. */
export async function loadLessonManifest(dir: string): Promise<LessonManifest> {
  const file = path.join(dir, LESSON_MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UserFacingError(`The lesson manifest ${file} could not be read as JSON (${(error as Error).message}).`);
  }
  const check = parseLessonManifest(data);
  const problems = check.ok ? missingLessonFiles(check.manifest, dir) : check.problems;
  if (!check.ok || problems.length > 0) {
    throw new UserFacingError(`The lesson manifest ${file} has problems:\n- ${problems.join('\n- ')}`);
  }
  return check.manifest;
}

/** One sentence per file the manifest names that is not a file in `dir`. */
export function missingLessonFiles(manifest: LessonManifest, dir: string): string[] {
  const problems: string[] = [];
  for (const lesson of manifest.lessons) {
    for (const file of lessonFiles(lesson)) {
      if (!isFile(lessonFilePath(dir, file))) problems.push(`Lesson "${lesson.id}" names ${file}, which is not a file in ${dir}.`);
    }
  }
  return problems;
}

/** The absolute path of a file the manifest names (manifest paths use forward slashes). */
export function lessonFilePath(dir: string, file: string): string {
  return path.join(dir, ...file.split('/'));
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
