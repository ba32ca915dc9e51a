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
  return new Promise((resolve) => {
    execFile('python3', [file], { cwd: path.dirname(file), env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (_error, stdout) =>
      resolve(stdout),
    );
  });
}

/**
 * What no tracer controls is masked: the PIDs a program prints and the order in which
 * concurrent processes finish their lines. Every other byte of every line must match.
 */
function comparable(stdout: string): string[] {
  return stdout
    .replace(/\bPID \d+/g, 'PID <pid>')
    .split(/(?<=\n)/)
    .sort();
}

/** For a program whose own output varies from run to run (timings, a race): its numbers. */
function withoutNumbers(lines: string[]): string[] {
  return lines.map((line) => line.replace(/\d+(\.\d+)?/g, '<n>')).sort();
}

describe('transparency: samples print the same with and without the tracer', function () {
  this.timeout(120_000);
  const programs = samplePrograms();

  it('finds the samples', () => assert.ok(programs.length >= 4, `samples found: ${programs.length}`));

  for (const file of programs) {
    it(path.relative(SAMPLES_DIR, file), async () => {
      const record = await (await ProfileRun.start({ file })).finished;
      const [plain, again] = [comparable(await runPlain(file)), comparable(await runPlain(file))];
      assert.ok(record.events.received > 0, 'the tracer was on');
      assert.ok(plain.length > 0, 'the sample prints something to compare');
      const traced = comparable(record.stdout);
      // Two plain runs that agree leave nothing to chance: the traced run must match them
      // byte for byte. Where the program's own output varies (it prints timings, or shows a
      // race), only its numbers may differ.
      if (plain.join('') === again.join('')) assert.deepEqual(traced, plain);
      else assert.deepEqual(withoutNumbers(traced), withoutNumbers(plain));
    });
  }
});
