import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHourKey } from '../contracts/index.js';
import { wantedDays } from './hour-range.js';

describe('wantedDays()', () => {
  const cases: Array<[from: string, to: string, zone: string, expected: Record<string, string[]>]> = [
    ['2026-11-22T03', '2026-11-22T05', 'UTC', { '2026-11-22': ['2026-11-22_03', '2026-11-22_04', '2026-11-22_05'] }],
    ['2026-11-22T03', '2026-11-22T03', 'UTC', { '2026-11-22': ['2026-11-22_03'] }],
    ['2026-11-22T22', '2026-11-23T00', 'UTC', { '2026-11-22': ['2026-11-22_22', '2026-11-22_23'], '2026-11-23': ['2026-11-23_00'] }],
    // Berlin is UTC+1 in November: UTC 22:00 is already the next label day.
    ['2026-11-22T21', '2026-11-22T23', 'Europe/Berlin', { '2026-11-22': ['2026-11-22_22', '2026-11-22_23'], '2026-11-23': ['2026-11-23_00'] }],
    // The repeated autumn hour (CEST -> CET at 01:00 UTC): its second occurrence is labelled 02b.
    ['2026-10-25T00', '2026-10-25T01', 'Europe/Berlin', { '2026-10-25': ['2026-10-25_02', '2026-10-25_02b'] }],
  ];
  for (const [from, to, zone, expected] of cases) {
    it(`maps ${from}..${to} to labels in ${zone}`, () => {
      const days = wantedDays(parseHourKey(from), parseHourKey(to), zone);
      assert.deepEqual(Object.fromEntries(days.map((day) => [day.date, day.hours.map((hour) => hour.label)])), expected);
    });
  }

  it('names the IDs, report and checksum files and keeps the UTC keys', () => {
    const [day] = wantedDays(parseHourKey('2026-11-22T21'), parseHourKey('2026-11-22T21'), 'Europe/Berlin');
    assert.deepEqual(day, {
      date: '2026-11-22',
      reportName: '2026-11-22_report.txt',
      sumsName: '2026-11-22_SHA256SUMS',
      hours: [{ hourKey: '2026-11-22T21', label: '2026-11-22_22', idsName: '2026-11-22_22_IDs.txt.xz' }],
    });
  });

  it('refuses a range that ends before it starts', () => {
    assert.throws(() => wantedDays(parseHourKey('2026-11-22T05'), parseHourKey('2026-11-22T03'), 'UTC'), /last hour is before the first/);
  });
});
