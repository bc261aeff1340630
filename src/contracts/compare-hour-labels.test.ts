import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareHourLabels } from './compare-hour-labels.js';

describe('compareHourLabels()', () => {
  const cases: Array<[a: string, b: string, sign: number]> = [
    ['02', '02b', -1],
    ['02b', '03', -1],
    ['02', '03', -1],
    ['10', '09', 1],
    ['02b', '02b', 0],
    ['2026-10-25_02', '2026-10-25_02b', -1],
    ['2026-10-25_02b', '2026-10-25_03', -1],
    ['2026-10-24_23', '2026-10-25_00', -1],
  ];
  for (const [a, b, sign] of cases) {
    it(`${a} vs ${b}`, () => assert.equal(Math.sign(compareHourLabels(a, b)), sign));
  }
});
