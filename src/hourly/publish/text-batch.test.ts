import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextBatch } from './text-batch.js';

describe('TextBatch', () => {
  const texts = ['plain,', 'ü 東京 😀 👍🏽', 'lone \ud83d surrogate', '', 'x'.repeat(40), '長'.repeat(50)];

  it('append() encodes as Buffer.from does and returns the byte length, growing past its capacity', () => {
    const batch = new TextBatch(16);
    let expected = '';
    for (const text of texts) {
      assert.equal(batch.append(text), Buffer.byteLength(text), JSON.stringify(text));
      expected += text;
    }
    batch.appendBytes(Buffer.from('bytes ü'));
    batch.appendBytes(Buffer.from('<range>'), 1, 6);
    assert.equal(batch.length, Buffer.byteLength(`${expected}bytes ürange`));
    assert.ok(batch.take().equals(Buffer.from(`${expected}bytes ürange`)));
  });

  it('take() hands out the batch and starts a new one; an earlier batch stays intact', () => {
    const batch = new TextBatch(64);
    batch.append('first ü');
    const first = batch.take();
    assert.equal(batch.length, 0);
    batch.append('second');
    assert.ok(first.equals(Buffer.from('first ü')));
    assert.ok(batch.take().equals(Buffer.from('second')));
    assert.equal(batch.take().length, 0);
  });
});
