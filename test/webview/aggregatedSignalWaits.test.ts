// Waits for a signal that came too often to trace one by one: the tracer counts them in the
// Event's (or the Barrier's) aggregated figures. Three workers each wait thousands of times
// on one Event and hundreds of times at a Barrier(3); the command line's summary and the
// panel's "Waits for a signal" table, from the same run, list the Event and the Barrier by
// the names the program gave them, with every wait counted and the total time waited.

import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMs } from '../../src/shared/format';
import type { LockInfo, RunRecord } from '../../src/shared/runRecord';
import { sharedBrowser, waitForRenders, watchedPage } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { describeNeeding } from '../helpers/platformParts';
import { writeProgram } from '../helpers/pythonPrograms';

const WORKERS = 3;
const EVENT_WAITS = 10000;
const BARRIER_WAITS = 300;

const PROGRAM = `
  import multiprocessing as mp

  def worker(ready, gate):
      for _ in range(${EVENT_WAITS}):
          ready.wait()
      for _ in range(${BARRIER_WAITS}):
          gate.wait()

  if __name__ == "__main__":
      ready = mp.Event()
      gate = mp.Barrier(${WORKERS})
      ready.set()
      workers = [mp.Process(target=worker, args=(ready, gate)) for _ in range(${WORKERS})]
      for each in workers:
          each.start()
      for each in workers:
          each.join()
      print("done")
`;

/** Waits on `lock` and their total, from its events and its aggregated counts, as the record has them. */
function waitsOn(record: RunRecord, lock: LockInfo): { waits: number; totalMs: number; maxMs: number } {
  const events = record.lockEvents.filter((event) => event.lock === lock.id);
  const spans = events.map((event) => (event.acquiredMs ?? event.releasedMs ?? record.durationMs) - event.requestMs);
  return {
    waits: events.length + (lock.aggregated?.acquisitions ?? 0),
    totalMs: spans.reduce((sum, span) => sum + span, 0) + (lock.aggregated?.totalWaitMs ?? 0),
    maxMs: Math.max(0, ...spans, lock.aggregated?.maxWaitMs ?? 0),
  };
}

/** The summary's section that starts with `title`, up to the next blank line. */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(title);
  assert.ok(start >= 0, `the summary has a "${title}" section:\n${stdout}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describeNeeding(['chromium'], 'waits for a signal counted in aggregate, in the summary and the panel (headless Chromium)', function () {
  this.timeout(180_000);
  const browser = sharedBrowser();

  for (const startMethod of ['fork', 'spawn'] as const) {
    it(`lists the Event and the Barrier with all their waits (${startMethod})`, async () => {
      const program = writeProgram('signals_often.py', PROGRAM);
      const json = path.join(os.tmpdir(), `parallel-lab-${process.pid}-signals-often-${startMethod}.json`);
      const html = path.join(os.tmpdir(), `parallel-lab-${process.pid}-signals-often-${startMethod}.html`);
      try {
        const result = await runCli(['run', program, '--start-method', startMethod, '--json', json, '--html', html]);
        assert.equal(result.code, 0, result.stderr);
        const record = JSON.parse(readFileSync(json, 'utf8')) as RunRecord;
        const ready = record.locks.find((lock) => lock.name === 'ready');
        const gate = record.locks.find((lock) => lock.name === 'gate');
        assert.ok(ready && gate, `the Event and the Barrier are in the record: ${JSON.stringify(record.locks)}`);
        assert.ok(ready.aggregated, "the tracer counted the event's waits in aggregate (the case under test)");
        const expected = { ready: waitsOn(record, ready), gate: waitsOn(record, gate) };
        assert.equal(expected.ready.waits, WORKERS * EVENT_WAITS, 'the record accounts for every wait for the event');
        assert.equal(expected.gate.waits, WORKERS * BARRIER_WAITS, 'and for every wait at the barrier');

        // The command line's summary.
        const rows = section(result.stdout, 'Waits for a signal (not lock contention)');
        assert.equal(rows.length, 3, `a header and two rows:\n${rows.join('\n')}`);
        const row = (name: string): string[] => (rows.find((line) => line.trim().startsWith(`${name} `)) ?? '').trim().split(/ {2,}/);
        assert.deepEqual(row('ready'), ['ready', 'Event (aggregated)', 'waited for the event', String(WORKERS * EVENT_WAITS), '0', formatMs(expected.ready.totalMs), formatMs(expected.ready.maxMs)]);
        assert.deepEqual(row('gate').slice(2), ['waited at the barrier', String(WORKERS * BARRIER_WAITS), '0', formatMs(expected.gate.totalMs), formatMs(expected.gate.maxMs)]);
        assert.doesNotMatch(result.stdout, /Event lock/, 'no warning calls the Event a lock');
        assert.match(result.stdout, /The waits for the event ready came so often/);

        // The panel, from the report the same run wrote.
        const { page, consoleErrors } = await watchedPage(browser());
        await page.goto(pathToFileURL(html).href);
        await waitForRenders(page);
        const table = page.locator('.summary table', { has: page.locator('caption', { hasText: /^Waits for a signal$/ }) });
        const cells = await table.locator('tbody tr').evaluateAll((lines) => lines.map((line) => Array.from(line.querySelectorAll('td'), (cell) => (cell as HTMLElement).innerText)));
        assert.deepEqual(cells, [
          ['ready', 'waited for the event', String(WORKERS * EVENT_WAITS), '0', formatMs(expected.ready.totalMs), formatMs(expected.ready.maxMs)],
          ['gate', 'waited at the barrier', String(WORKERS * BARRIER_WAITS), '0', formatMs(expected.gate.totalMs), formatMs(expected.gate.maxMs)],
        ]);
        assert.equal(await page.locator('.summary caption', { hasText: /^Locks$/ }).count(), 0, 'and no lock: the program holds none');
        assert.deepEqual(consoleErrors, []);
        await page.close();
      } finally {
        rmSync(json, { force: true });
        rmSync(html, { force: true });
      }
    });
  }
});
