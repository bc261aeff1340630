import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HourStats } from './hour-stats.js';
import { diffPercent, formatGaps, reportLine } from './report-line.js';

describe('diffPercent()', () => {
  const cases: Array<[diff: number, total: number, expected: string]> = [
    [0, 0, '0.00%'],
    [5, 0, '0.00%'],
    [0, 1000, '0.00%'],
    [45, 10_000, '0.45%'],
    [445, 100_000, '0.45%'], // 0.445 rounds half up
    [444, 100_000, '0.44%'],
    [4449, 1_000_000, '0.44%'],
    [5, 1000, '0.50%'],
    [1, 3, '33.33%'],
    [2, 3, '66.67%'],
    [1, 8, '12.50%'],
    [1, 80_000, '0.00%'], // 0.00125 rounds down
    [1, 20_000, '0.01%'], // 0.005 rounds half up
    [1, 20_001, '0.00%'], // just under 0.005
    [3, 3, '100.00%'],
    [1_234, 180_000, '0.69%'],
    [250_000, 250_000, '100.00%'],
  ];
  for (const [diff, total, expected] of cases) {
    it(`${diff} of ${total} is ${expected}`, () => assert.equal(diffPercent(diff, total), expected));
  }
});

const stats = (overrides: Partial<HourStats> = {}): HourStats => ({
  serv1: 0, serv2: 0, total: 0, only1: 0, only2: 0, diff: 0, late: 0, missing1: [], missing2: [], ...overrides,
});

describe('formatGaps()', () => {
  const at = (h: number, min: number): number => Date.UTC(2026, 10, 22, h, min);
  const cases: Array<[name: string, zone: string, ranges: Array<[number, number]>, expected: string]> = [
    ['none', 'UTC', [], ''],
    ['one range, end exclusive', 'UTC', [[at(3, 0), at(5, 12)]], '03:00-05:12'],
    ['several, comma-joined', 'UTC', [[at(6, 1), at(6, 2)], [at(6, 30), at(7, 0)]], '06:01-06:02,06:30-07:00'],
    ['in the label zone', 'Europe/Berlin', [[at(6, 1), at(6, 2)]], '07:01-07:02'],
    ['across local midnight', 'Asia/Tokyo', [[at(14, 50), at(15, 0)]], '23:50-00:00'],
  ];
  for (const [name, zone, ranges, expected] of cases) {
    it(name, () => assert.equal(formatGaps(ranges.map(([startMs, endMs]) => ({ startMs, endMs })), zone), expected));
  }
});

describe('reportLine()', () => {
  it('writes zeros and no gaps for an empty hour', () => {
    assert.deepEqual(reportLine('03', stats(), 1, 'UTC'), {
      hour: '03', serv1: 0, serv2: 0, total: 0, diff: 0, only1: 0, only2: 0, late: 0, gaps1: '', gaps2: '', version: 1,
    });
  });

  it('copies the counts and formats both servers gaps for a b hour', () => {
    const start = Date.UTC(2026, 9, 25, 1, 0); // 02:00 CET, the second 02 in Berlin
    const line = reportLine(
      '02b',
      stats({
        serv1: 10, serv2: 8, total: 12, only1: 4, only2: 2, diff: 6, late: 3,
        missing1: [{ startMs: start, endMs: start + 5 * 60_000 }],
        missing2: [{ startMs: start + 50 * 60_000, endMs: start + 60 * 60_000 }],
      }),
      2,
      'Europe/Berlin',
    );
    assert.deepEqual(line, {
      hour: '02b', serv1: 10, serv2: 8, total: 12, diff: 6, only1: 4, only2: 2, late: 3,
      gaps1: '02:00-02:05', gaps2: '02:50-03:00', version: 2,
    });
  });

  for (const label of ['2026-10-25_02b', '2', '02c', '']) {
    it(`refuses the label ${JSON.stringify(label)} with the fix`, () => {
      assert.throws(() => reportLine(label, stats(), 1, 'UTC'), {
        name: 'RangeError',
        message: new RegExp(`hour ${JSON.stringify(label)}: pass the hour part of the label`),
      });
    });
  }
});
