import { strict as assert } from 'node:assert';
import { CappedText } from '../../src/extension/engine/cappedText';

describe('CappedText', () => {
  it('keeps text up to the cap and flags the cut, while still passing every chunk on', () => {
    const text = new CappedText(5);
    assert.equal(text.append(Buffer.from('abc')), 'abc');
    assert.equal(text.append(Buffer.from('defg')), 'defg');
    assert.equal(text.finish(), 'abcde');
    assert.equal(text.truncated, true);
  });

  it('joins a UTF-8 character split across chunks', () => {
    const text = new CappedText(100);
    const euro = Buffer.from('€');
    text.append(euro.subarray(0, 1));
    text.append(euro.subarray(1));
    assert.equal(text.finish(), '€');
    assert.equal(text.truncated, false);
  });
});
