import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSha256Sums, parseSha256Sums, withoutSha256Sums } from './sha256-sums.js';

const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

describe('parseSha256Sums()', () => {
  const cases: Array<{ name: string; text: string; hashes: Array<[string, string]>; badLines: number[] }> = [
    { name: 'text mode lines', text: `${A}  x_IDs.txt.xz\n`, hashes: [['x_IDs.txt.xz', A]], badLines: [] },
    { name: 'binary mode star and upper-case hex', text: `${B} *y.txt\n`, hashes: [['y.txt', B.toLowerCase()]], badLines: [] },
    { name: 'a name with spaces', text: `${A}  a b.txt`, hashes: [['a b.txt', A]], badLines: [] },
    { name: 'short hash and missing separator', text: `abc  x\n${A}x\n${A}  ok\n`, hashes: [['ok', A]], badLines: [1, 2] },
    { name: 'empty file', text: '', hashes: [], badLines: [] },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const parsed = parseSha256Sums(c.text);
      assert.deepEqual([...parsed.hashes], c.hashes);
      assert.deepEqual(parsed.badLines, c.badLines);
    });
  }
});

describe('formatSha256Sums()', () => {
  it('writes sorted sha256sum lines that parse back to the same map', () => {
    const hashes = new Map([
      ['2026-11-22_report.txt', A],
      ['2026-11-22_06_IDs.txt.xz', 'b'.repeat(64)],
    ]);
    const text = formatSha256Sums(hashes);
    assert.equal(text, `${'b'.repeat(64)}  2026-11-22_06_IDs.txt.xz\n${A}  2026-11-22_report.txt\n`);
    assert.deepEqual(new Map([...parseSha256Sums(text).hashes].sort()), new Map([...hashes].sort()));
  });
});

describe('withoutSha256Sums()', () => {
  const text = `${A}  d_10_IDs.txt.xz\n${B}  d_10_raw.jsonl.xz\nnot a line\n${A} *d_11_raw.jsonl.xz\n${A}  d_report.txt`;
  const cases: Array<{ name: string; names: string[]; expected: string }> = [
    { name: 'one listed file', names: ['d_10_raw.jsonl.xz'], expected: `${A}  d_10_IDs.txt.xz\nnot a line\n${A} *d_11_raw.jsonl.xz\n${A}  d_report.txt` },
    { name: 'a binary-mode line and the last line without a newline', names: ['d_11_raw.jsonl.xz', 'd_report.txt'], expected: `${A}  d_10_IDs.txt.xz\n${B}  d_10_raw.jsonl.xz\nnot a line\n` },
    { name: 'a name it does not list', names: ['d_12_raw.jsonl.xz'], expected: text },
    { name: 'nothing', names: [], expected: text },
  ];
  for (const c of cases) {
    it(`drops ${c.name}, keeping every other line byte for byte`, () => {
      assert.equal(withoutSha256Sums(text, new Set(c.names)), c.expected);
    });
  }
});
