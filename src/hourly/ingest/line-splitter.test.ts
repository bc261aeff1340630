import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOverlong, LineSplitter, MAX_LINE_BYTES, OVERLONG_HEAD_BYTES, type SplitLine } from './line-splitter.js';

/** A line as text; an over-long one as `<overlong LENGTH: HEAD>`. */
function show(line: SplitLine): string {
  return isOverlong(line) ? `<overlong ${line.length}: ${line.head.toString('utf8')}>` : line.toString('utf8');
}

function split(chunks: readonly string[], maxLineBytes?: number): string[] {
  const splitter = new LineSplitter(maxLineBytes);
  const lines = chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk)).map(show));
  const last = splitter.end();
  return last === null ? lines : [...lines, show(last)];
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

  const overlongCases: Array<{ name: string; chunks: string[]; lines: string[] }> = [
    { name: 'at the limit, kept', chunks: ['abcd\n'], lines: ['abcd'] },
    { name: 'at the limit across chunks, kept', chunks: ['ab', 'cd\n'], lines: ['abcd'] },
    { name: 'over the limit in one chunk', chunks: ['abcde\nok\n'], lines: ['<overlong 5: abcde>', 'ok'] },
    { name: 'over the limit across chunks', chunks: ['ab', 'cde', 'fg\nok\n'], lines: ['<overlong 7: abcde>', 'ok'] },
    { name: 'over the limit, no final newline', chunks: ['ok\nab', 'cdef'], lines: ['ok', '<overlong 6: abcdef>'] },
  ];
  for (const { name, chunks, lines } of overlongCases) {
    it(`push() with a 4-byte limit: ${name}`, () => assert.deepEqual(split(chunks, 4), lines));
  }

  it('push() drops the bytes of a line over MAX_LINE_BYTES, keeping its length and first bytes', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.alloc(1 << 20, 0x78);
    const chunks = MAX_LINE_BYTES / chunk.length + 1;
    for (let i = 0; i < chunks; i++) assert.deepEqual(splitter.push(chunk), []);
    const [line, next] = splitter.push(Buffer.from('\n{}\n'));
    assert.ok(line !== undefined && isOverlong(line));
    assert.equal(line.length, chunks * chunk.length);
    assert.deepEqual(line.head, Buffer.alloc(OVERLONG_HEAD_BYTES, 0x78));
    assert.equal(show(next!), '{}');
  });
});
