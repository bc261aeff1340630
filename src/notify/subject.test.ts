import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursOfLabelDay } from '../contracts/hour-label.js';
import type { ReportLine } from '../contracts/index.js';
import { dayCoverage } from './day-coverage.js';
import { dailySubject } from './subject.js';

const DATE = '2026-11-21';

function line(hour: string, gaps1 = '', gaps2 = ''): ReportLine {
  return { hour, serv1: 1, serv2: 1, total: 1, diff: 0, only1: 0, only2: 0, late: 0, gaps1, gaps2, version: 1 };
}

function fullDay(overrides: Record<string, [string, string]> = {}, skip: string[] = []): ReportLine[] {
  return hoursOfLabelDay(DATE, 'UTC')
    .map((h) => h.label.hour)
    .filter((hour) => !skip.includes(hour))
    .map((hour) => line(hour, ...(overrides[hour] ?? ['', ''])));
}

test('dailySubject() follows the DESIGN 8 subject rules', async (t) => {
  const cases: Array<{ name: string; lines: ReportLine[]; expectServer2?: boolean; want: string }> = [
    { name: 'complete', lines: fullDay(), want: 'sampled-stream 2026-11-21: complete' },
    {
      name: 'complete with redundancy used',
      lines: fullDay({ '03': ['', '03:00-04:00'], '04': ['', '04:00-05:00'], '05': ['', '05:00-05:12'] }),
      want: 'sampled-stream 2026-11-21: complete; redundancy used: server 2 missing 03:00-05:12',
    },
    {
      name: 'both servers needed each other',
      lines: fullDay({ '01': ['01:00-01:05', ''], '03': ['', '03:00-03:30'] }),
      want: 'sampled-stream 2026-11-21: complete; redundancy used: server 1 missing 01:00-01:05 and server 2 missing 03:00-03:30',
    },
    {
      name: 'minutes covered by neither server',
      lines: fullDay({ '03': ['03:05-03:10', '03:00-03:30'] }),
      want: 'sampled-stream 2026-11-21: INCOMPLETE: 03:05-03:10; redundancy used: server 2 missing 03:00-03:05, 03:10-03:30',
    },
    {
      name: 'unpublished hours of an unfinished day',
      lines: fullDay({}, ['20', '21', '22', '23']),
      want: 'sampled-stream 2026-11-21: INCOMPLETE: unpublished hours 20-23',
    },
    {
      name: 'neither-covered minutes and unpublished hours',
      lines: fullDay({ '07': ['07:00-07:02', '07:00-07:02'] }, ['00', '23']),
      want: 'sampled-stream 2026-11-21: INCOMPLETE: 07:00-07:02; unpublished hours 00, 23',
    },
    {
      name: 'many ranges are counted, not listed',
      lines: fullDay({
        '01': ['01:00-01:01', '01:00-01:01'],
        '02': ['02:00-02:01', '02:00-02:01'],
        '03': ['03:00-03:01', '03:00-03:01'],
        '04': ['04:00-04:01', '04:00-04:01'],
        '05': ['05:00-05:01', '05:00-05:01'],
      }),
      want: 'sampled-stream 2026-11-21: INCOMPLETE: 01:00-01:01, 02:00-02:01, 03:00-03:01, (+2 more)',
    },
    { name: 'no report file at all', lines: [], want: 'sampled-stream 2026-11-21: INCOMPLETE: unpublished hours 00-23' },
    {
      name: 'single-server setup ignores server 2 gaps',
      lines: fullDay({ '03': ['', '03:00-04:00'] }),
      expectServer2: false,
      want: 'sampled-stream 2026-11-21: complete',
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const coverage = dayCoverage({ hours: hoursOfLabelDay(DATE, 'UTC'), lines: c.lines, expectServer2: c.expectServer2 ?? true });
      assert.equal(dailySubject(DATE, coverage, 'UTC'), c.want);
    });
  }
});
