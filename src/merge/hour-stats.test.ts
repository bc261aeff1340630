import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareIds } from './compare-ids.js';
import { countsFromSortedIds, hourStats } from './hour-stats.js';

describe('hourStats()', () => {
  const cases: Array<[name: string, ids1: string[], ids2: string[], expected: number[]]> = [
    // expected: serv1, serv2, total, only1, only2, diff
    ['empty hour', [], [], [0, 0, 0, 0, 0, 0]],
    ['identical servers', ['1', '2'], ['2', '1'], [2, 2, 2, 0, 0, 0]],
    ['server 2 missing', ['1', '2', '3'], [], [3, 0, 3, 3, 0, 3]],
    ['server 1 missing', [], ['7'], [0, 1, 1, 0, 1, 1]],
    ['partial overlap', ['1', '2', '3', '4'], ['3', '4', '5'], [4, 3, 5, 2, 1, 3]],
    ['duplicates within a server count once', ['1', '1', '2'], ['2', '2', '3', '3'], [2, 2, 3, 1, 1, 2]],
  ];
  for (const [name, ids1, ids2, expected] of cases) {
    it(name, () => {
      const stats = hourStats({ ids1, ids2, late: 4, missing1: [], missing2: [] });
      assert.deepEqual([stats.serv1, stats.serv2, stats.total, stats.only1, stats.only2, stats.diff], expected);
      assert.equal(stats.late, 4);
      const sorted = (ids: string[]): string[] => [...ids].sort(compareIds);
      assert.deepEqual(countsFromSortedIds(sorted(ids1), sorted(ids2)), {
        serv1: expected[0], serv2: expected[1], total: expected[2], only1: expected[3], only2: expected[4], diff: expected[5],
      });
    });
  }

  it('normalizes the missing minute ranges', () => {
    const stats = hourStats({
      ids1: [], ids2: [], late: 0,
      missing1: [{ startMs: 120_000, endMs: 180_000 }, { startMs: 60_000, endMs: 120_000 }],
      missing2: [],
    });
    assert.deepEqual(stats.missing1, [{ startMs: 60_000, endMs: 180_000 }]);
    assert.deepEqual(stats.missing2, []);
  });
});

describe('countsFromSortedIds()', () => {
  it('agrees with set arithmetic on random sorted lists with duplicates and mixed lengths', () => {
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const make = (): string[] =>
        Array.from({ length: random(40) }, () => String(random(3) === 0 ? random(120) : 1_440_000_000 + random(50))).sort(
          compareIds,
        );
      const ids1 = make();
      const ids2 = make();
      const { late: _late, missing1: _m1, missing2: _m2, ...fromSets } = hourStats({ ids1, ids2, late: 0, missing1: [], missing2: [] });
      assert.deepEqual(countsFromSortedIds(ids1, ids2), fromSets);
    }
  });
});
