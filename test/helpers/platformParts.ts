// Suites that need parts only the project's Debian CI machine has: Debian's Chromium (the
// panel, the report and VS Code in the browser) and code-server (VS Code, installed on
// demand for Linux). Where a part is missing (the macOS and Windows runners of
// .github/workflows/platforms.yml), the suite is registered as skipped, the reason in its
// title; on the CI machine every part is there and nothing is skipped.

import { existsSync } from 'node:fs';
import { CHROMIUM } from './browser';

const MISSING = {
  chromium: existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (set PARALLEL_LAB_CHROMIUM)`,
  'code-server': process.platform === 'linux' ? null : 'code-server is installed for Linux only (scripts/install-code-server.sh)',
};

export type PlatformPart = keyof typeof MISSING;

/** `describe`, or a skipped `describe` saying which part is missing. */
export function describeNeeding(parts: PlatformPart[], title: string, suite: (this: Mocha.Suite) => void): void {
  const missing = parts.map((part) => MISSING[part]).filter((reason): reason is string => reason !== null);
  if (missing.length === 0) describe(title, suite);
  else describe.skip(`${title} (skipped: ${missing.join('; ')})`, suite);
}
