// `parallel-lab scale` as a learner runs it: the JSON result's shape, and the learner's
// mistakes, each a sentence or two with a non-zero exit and no traceback of ours.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli, type CliResult } from '../helpers/cli';
import { writeProgram } from '../helpers/pythonPrograms';

const MISTAKES = `
  import math

  def outer():
      def inner(x):
          return x * 2
      return inner

  nested = outer()
  doubled = lambda x: x * 2

  def no_argument():
      return 1

  def two_arguments(a, b):
      return a + b

  def square(x):
      return x * x

  def fails(x):
      return 1 / (x - 2)
`;

function assertLearnerMessage(result: CliResult, pattern: RegExp): void {
  const output = result.stdout + result.stderr;
  assert.notEqual(result.code, 0, `exit code 0 for a mistake:\n${output}`);
  assert.match(output, pattern);
  assert.doesNotMatch(output, /Traceback/, 'a Python traceback reached the learner');
  assert.doesNotMatch(output, /\n\s+at .+:\d+:\d+/, 'a JavaScript stack reached the learner');
  assert.doesNotMatch(output, /internal error/);
}

describe('parallel-lab scale (command line)', function () {
  this.timeout(120_000);
  const file = writeProgram('mistakes.py', MISTAKES);
  const scale = (target: string, inputs = 'range(4)', extra: string[] = []): Promise<CliResult> =>
    runCli(['scale', `${file}:${target}`, '--inputs', inputs, '--max-workers', '1', ...extra]);

  it('--json writes the result: modes with mode, workers, wall time and speedup; sequential is 1×', async () => {
    const out = path.join(path.dirname(file), 'scale.json');
    const result = await scale('square', 'range(8)', ['--json', out, '--predict-2', '1.8']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /MODE\s+WORKERS\s+MEDIAN\s+RANGE\s+RUNS\s+SPEEDUP\s+EFFICIENCY\s+AGAINST ALONE\s+RESULTS/);
    assert.match(result.stdout, /Verdict/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    assert.equal(written.schema, 'parallel-lab/scale@1');
    assert.equal(written.items, 8);
    assert.equal(written.resultsEqual, true);
    const modes = written.modes as Array<Record<string, unknown>>;
    assert.deepEqual(
      modes.map((mode) => [mode.mode, mode.workers]),
      [['sequential', 1], ['threads', 1], ['processes', 1], ['processes', 2]],
    );
    for (const mode of modes) {
      for (const key of ['wallMs', 'speedup', 'efficiency']) assert.equal(typeof mode[key], 'number', `${key} of ${JSON.stringify(mode)}`);
      const runs = mode.runsMs as number[];
      assert.ok(Array.isArray(runs) && runs.length >= 3, `every mode ran at least 3 times: ${JSON.stringify(mode)}`);
      const spread = mode.spreadMs as { low: number; high: number };
      assert.ok(spread.low <= (mode.wallMs as number) && (mode.wallMs as number) <= spread.high, `the median lies in the spread: ${JSON.stringify(mode)}`);
      assert.ok(['faster', 'slower', 'none'].includes(mode.againstSequential as string));
    }
    assert.equal(modes[0].speedup, 1);
    assert.equal(written.gilEnabled, true, 'this Python has a GIL');
    assert.equal(typeof written.computeShare, 'number');
    assert.deepEqual(written.prediction, { twoWorkers: 1.8 });
    assert.ok(Array.isArray(written.breakdown) && written.breakdown.length === 2);
    assert.equal(typeof written.verdict, 'string');
  });

  it('a nested function: why processes cannot run it, and how to fix it', async () => {
    for (const target of ['nested', 'outer.inner']) {
      const result = await scale(target);
      assertLearnerMessage(result, /defined inside outer.*cannot run a nested function.*module and name.*top level/s);
    }
  });

  it('a lambda: why processes cannot run it', async () => {
    assertLearnerMessage(await scale('doubled'), /doubled is a lambda.*module and name.*def at the top level/s);
  });

  it('a function of no argument, or of two: map passes one item at a time', async () => {
    assertLearnerMessage(await scale('no_argument'), /no_argument takes no argument, but map calls it with one item at a time/);
    assertLearnerMessage(await scale('two_arguments'), /two_arguments takes 2 arguments \(a, b\), but map passes one item at a time.*tuple/s);
  });

  it('inputs that fail: Python’s own error line', async () => {
    assertLearnerMessage(await scale('square', 'range(undefined_name)'), /The inputs expression range\(undefined_name\) failed: NameError: name 'undefined_name' is not defined/);
    assertLearnerMessage(await scale('square', 'range(4'), /The inputs expression range\(4 failed: SyntaxError/);
  });

  it('a function that is not there, or that raises: which one, on which input', async () => {
    assertLearnerMessage(await scale('cube'), /There is no function named cube.*square/s);
    assertLearnerMessage(await scale('fails'), /fails raised an error on input 2 \(item 3\): ZeroDivisionError: division by zero/);
  });

  it('a module that fails to import: its error', async () => {
    const broken = writeProgram('broken.py', 'import not_a_module_anywhere\n\ndef f(x):\n    return x\n');
    assertLearnerMessage(
      await runCli(['scale', `${broken}:f`, '--inputs', 'range(2)']),
      /broken.py failed to import \(line 1\): ModuleNotFoundError: No module named 'not_a_module_anywhere'/,
    );
  });
});
