// The tracer must not change what a program prints: each sample's stdout, with and without
// Parallel Lab, is the same bytes.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ProfileRun } from '../../src/extension/engine/profileRun';
import { SAMPLES_DIR } from '../helpers/pythonPrograms';

function samplePrograms(): string[] {
  return readdirSync(SAMPLES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.py'))
    .map((name) => path.join(SAMPLES_DIR, name))
    .sort();
}

function runPlain(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', [file], { cwd: path.dirname(file), env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/**
 * Two runs of the same program differ in what no tracer controls: the PIDs it prints and
 * the order in which concurrent processes finish their lines. Those are masked; every
 * byte of every line must otherwise match.
 */
function comparable(stdout: string): string[] {
  return stdout
    .replace(/\bPID \d+/g, 'PID <pid>')
    .split(/(?<=\n)/)
    .sort();
}

describe('transparency: samples print the same with and without the tracer', function () {
  this.timeout(60_000);
  const programs = samplePrograms();

  it('finds the samples', () => assert.ok(programs.length >= 4, `samples found: ${programs.length}`));

  for (const file of programs) {
    it(path.relative(SAMPLES_DIR, file), async () => {
      const plain = await runPlain(file);
      const record = await (await ProfileRun.start({ file })).finished;
      assert.equal(record.exitCode, 0, record.stderr);
      assert.ok(record.events.received > 0, 'the tracer was on');
      assert.deepEqual(comparable(record.stdout), comparable(plain));
      assert.ok(plain.length > 0, 'the sample prints something to compare');
    });
  }
});
