import { strict as assert } from 'node:assert';
import { warningsFromStderr } from '../../src/extension/engine/run/stderrWarnings';

describe('warningsFromStderr', () => {
  const traceback = '  File "/home/me/broken.py", line 2\n    def oops(:\n             ^\nSyntaxError: invalid syntax\n';

  it('turns a syntax error in the program into a sentence', () => {
    assert.deepEqual(warningsFromStderr(traceback, '/home/me/broken.py'), [
      'Python could not read broken.py: SyntaxError at line 2 (invalid syntax); fix that line and run again.',
    ]);
  });

  it('says nothing of a syntax error in another file, or of a clean run', () => {
    assert.deepEqual(warningsFromStderr(traceback, '/home/me/other.py'), []);
    assert.deepEqual(warningsFromStderr('', '/home/me/broken.py'), []);
  });
});
