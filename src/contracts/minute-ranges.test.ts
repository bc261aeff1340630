import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type MinuteRange, minuteRanges, normalizeRanges, rangesCoveredByNeither } from './minute-ranges.js';

const T = Date.UTC(2026, 10, 22, 6, 0);
const m = (minute: number): number => T + minute * 60_000;
const r = (from: number, to: number): MinuteRange => ({ startMs: m(from), endMs: m(to) });

describe('minuteRanges()', () => {
  const cases: Array<[name: string, starts: number[], expected: MinuteRange[]]> = [
    ['none', [], []],
    ['one minute', [m(5)], [r(5, 6)]],
    ['consecutive minutes collapse', [m(5), m(6), m(7)], [r(5, 8)]],
    ['gap splits', [m(5), m(6), m(9)], [r(5, 7), r(9, 10)]],
    ['unsorted with duplicates', [m(9), m(5), m(6), m(5)], [r(5, 7), r(9, 10)]],
    ['whole hour', Array.from({ length: 60 }, (_, i) => m(i)), [r(0, 60)]],
  ];
  for (const [name, starts, expected] of cases) {
    it(name, () => assert.deepEqual(minuteRanges(starts), expected));
  }
});

describe('normalizeRanges()', () => {
  it('sorts, merges overlapping and touching ranges, drops empty ones, and copies', () => {
    const input = [r(10, 12), r(0, 3), r(3, 5), r(4, 6), r(8, 8)];
    assert.deepEqual(normalizeRanges(input), [r(0, 6), r(10, 12)]);
    assert.deepEqual(input[0], r(10, 12));
  });
});

describe('rangesCoveredByNeither()', () => {
  const cases: Array<[name: string, a: MinuteRange[], b: MinuteRange[], expected: MinuteRange[]]> = [
    ['both complete', [], [], []],
    ['one server gap only', [r(0, 10)], [], []],
    ['disjoint gaps', [r(0, 10)], [r(20, 30)], []],
    ['touching gaps do not overlap', [r(0, 10)], [r(10, 20)], []],
    ['overlap', [r(0, 10)], [r(5, 20)], [r(5, 10)]],
    ['containment', [r(0, 60)], [r(12, 13), r(30, 45)], [r(12, 13), r(30, 45)]],
    ['several overlaps', [r(0, 5), r(10, 20), r(40, 50)], [r(3, 12), r(15, 45)], [r(3, 5), r(10, 12), r(15, 20), r(40, 45)]],
    ['unsorted input', [r(40, 50), r(0, 5)], [r(45, 60), r(2, 3)], [r(2, 3), r(45, 50)]],
  ];
  for (const [name, a, b, expected] of cases) {
    it(name, () => {
      assert.deepEqual(rangesCoveredByNeither(a, b), expected);
      assert.deepEqual(rangesCoveredByNeither(b, a), expected);
    });
  }
});
