import { strict as assert } from 'node:assert';
import { outlinePython } from '../../src/extension/vscode/pythonOutline';

describe('outlinePython', () => {
  it('finds the main guard and the top-level functions, not nested ones or methods', () => {
    const text = [
      'import os',
      'def work(x, y=2):',
      '    def helper():',
      '        pass',
      'class K:',
      '    def method(self):',
      '        pass',
      'async def fetch(url):',
      '    pass',
      "if __name__ == '__main__':",
      '    work(1)',
    ].join('\n');
    const outline = outlinePython(text);
    assert.equal(outline.mainGuardLine, 9);
    assert.deepEqual(outline.topLevelFunctions, [
      { name: 'work', line: 1, parameters: 'x, y=2' },
      { name: 'fetch', line: 7, parameters: 'url' },
    ]);
  });

  it('has no main guard in a script without one', () => {
    assert.equal(outlinePython('print(1)\nif __name__ == "x":\n  pass\n').mainGuardLine, null);
  });
});
