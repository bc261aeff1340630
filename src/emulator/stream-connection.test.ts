import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitOffsets } from './stream-connection.js';

describe('splitOffsets()', () => {
  const cases: { name: string; text: string; offsets: number[] }[] = [
    { name: 'ASCII only: the middle', text: 'abcdef', offsets: [3] },
    { name: 'one 2-byte character', text: 'aé', offsets: [2] },
    { name: 'one emoji', text: '😀', offsets: [1] },
    { name: 'first, middle and last multi-byte character', text: 'a€b€c€d', offsets: [2, 6, 10] },
  ];
  for (const { name, text, offsets } of cases) {
    it(`cuts inside characters: ${name}`, () => {
      const bytes = Buffer.from(text);
      const got = splitOffsets(bytes);
      assert.deepEqual(got, offsets);
      if (/[^\x00-\x7f]/.test(text)) {
        for (const offset of got) assert.equal(bytes[offset]! & 0xc0, 0x80, 'the next byte continues a character');
      }
    });
  }
});
