import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from './line-splitter.js';

function split(chunks: readonly string[]): string[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk)).map((line) => line.toString('utf8')));
  const last = splitter.end();
  return last === null ? lines : [...lines, last.toString('utf8')];
}

describe('LineSplitter', () => {
  const cases: Array<{ name: string; chunks: string[]; lines: string[] }> = [
    { name: 'one chunk, two lines', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { name: 'a line across chunks', chunks: ['ab', 'c\nd', 'e\n'], lines: ['abc', 'de'] },
    { name: 'a line across three chunks', chunks: ['x', 'y', 'z\n'], lines: ['xyz'] },
    { name: 'no final newline', chunks: ['a\nlast'], lines: ['a', 'last'] },
    { name: 'empty lines kept', chunks: ['\n\na\n'], lines: ['', '', 'a'] },
    { name: 'CR stays part of the line', chunks: ['a\r\nb\r\n'], lines: ['a\r', 'b\r'] },
    { name: 'newline at a chunk start', chunks: ['abc', '\ndef\n'], lines: ['abc', 'def'] },
  ];
  for (const { name, chunks, lines } of cases) {
    it(`push() splits: ${name}`, () => assert.deepEqual(split(chunks), lines));
  }

  it('push() keeps a UTF-8 character split across two chunks intact', () => {
    const bytes = Buffer.from('😀é\n');
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(bytes.subarray(0, 2)), []);
    const lines = splitter.push(bytes.subarray(2));
    assert.equal(lines[0]!.toString('utf8'), '😀é');
    assert.equal(splitter.end(), null);
  });
});
