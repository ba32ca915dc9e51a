// The integration suite's entry point inside VS Code's extension host: `run()` is what
// @vscode/test-electron calls (extensionTestsPath), and what the code-server runner
// extension calls. Results also go to PARALLEL_LAB_SUITE_RESULTS for the outer test.

import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false });
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of readdirSync(suiteDir).filter((name) => name.endsWith('.test.js')).sort()) mocha.addFile(path.join(suiteDir, file));
  const results: SuiteResults = { passed: [], failed: [] };
  await new Promise<void>((resolve) => {
    mocha
      .run()
      .on('pass', (test) => results.passed.push(test.fullTitle()))
      .on('fail', (test, error: Error) => results.failed.push({ title: test.fullTitle(), error: error.stack ?? String(error) }))
      .on('end', () => resolve());
  });
  const target = process.env.PARALLEL_LAB_SUITE_RESULTS;
  if (target) writeFileSync(target, JSON.stringify(results, null, 1));
  if (results.failed.length > 0) throw new Error(`${results.failed.length} integration tests failed: ${results.failed.map((f) => f.title).join('; ')}`);
}
