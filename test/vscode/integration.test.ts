// Runs the integration suite (test/integration) inside real VS Code: here code-server,
// started offline with the extension installed from its .vsix, its extension host woken
// by headless Chromium opening the workbench. (Where VS Code can be downloaded,
// `npm run test:vscode` runs the same suite through @vscode/test-electron.)

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SuiteResults } from '../integration/index';
import { launchBrowser } from '../helpers/browser';
import { REPO_ROOT, SAMPLES_DIR } from '../helpers/pythonPrograms';
import { codeServerWithParallelLab, startCodeServer, type CodeServer } from './codeServer';
import { describeNeeding } from '../helpers/platformParts';

const SUITE_TIMEOUT_MS = 240_000;

describeNeeding(['code-server', 'chromium'], 'integration suite inside VS Code (code-server)', function () {
  this.timeout(SUITE_TIMEOUT_MS + 180_000);
  let results: SuiteResults;

  before(async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'parallel-lab-integration-'));
    const { binary, extensionsDir } = await codeServerWithParallelLab();
    const resultsFile = path.join(work, 'results.json');
    let server: CodeServer | undefined;
    const browser = await launchBrowser();
    try {
      server = await startCodeServer({
        binary,
        extensionsDir,
        env: { PARALLEL_LAB_SUITE: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'), PARALLEL_LAB_SUITE_RESULTS: resultsFile },
      });
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(SAMPLES_DIR)}`);
      const deadline = Date.now() + SUITE_TIMEOUT_MS;
      while (!existsSync(resultsFile) && Date.now() < deadline) await page.waitForTimeout(500);
      assert.ok(existsSync(resultsFile), 'the suite ran inside VS Code and wrote its results');
      results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
    } finally {
      await browser.close();
      await server?.stop();
    }
  });

  const inside = (title: string): void => {
    const full = `Parallel Lab inside VS Code ${title}`;
    const failure = results.failed.find((failed) => failed.title === full);
    assert.equal(failure, undefined, failure?.error);
    assert.ok(results.passed.includes(full), `"${title}" ran and passed inside VS Code`);
  };

  it('registers its commands', () => inside('registers its commands'));
  it('lists the lessons in order in the lesson tree', () => inside('lists the lessons in order in the lesson tree'));
  it('shows CodeLens on the main guard and on top-level functions', () => inside('shows CodeLens on the main guard and on top-level functions'));
  it('decorates the lock line after a run of the counter lesson', () => inside('decorates the lock line after a run of the counter lesson'));
  it('Stop ends a never-ending sample with no process left', () => inside('Stop ends a never-ending sample with no process left'));
});
