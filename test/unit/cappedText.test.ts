import { strict as assert } from 'node:assert';
import { CappedText } from '../../src/extension/engine/run/cappedText';

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

  it('keeps bytes that are not UTF-8, and a character cut at the very end, as U+FFFD', () => {
    const text = new CappedText(100);
    assert.equal(text.append(Buffer.from([0x61, 0xff, 0x62])), 'a\ufffdb');
    assert.equal(text.append(Buffer.from('€').subarray(0, 2)), '', 'half a character waits for the rest');
    assert.equal(text.finish(), 'a\ufffdb\ufffd');
  });
});
