import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursOfLabelDay } from '../contracts/hour-label.js';
import type { ReportLine } from '../contracts/index.js';
import { dayCoverage, formatHourRuns, formatRanges, parseGaps, subtractRanges } from './day-coverage.js';

const T = (iso: string) => Date.parse(iso);
const range = (start: string, end: string) => ({ startMs: T(start), endMs: T(end) });

function line(hour: string, gaps1 = '', gaps2 = '', version = 1): ReportLine {
  return { hour, serv1: 100, serv2: 100, total: 110, diff: 20, only1: 10, only2: 10, late: 0, gaps1, gaps2, version };
}

test('parseGaps() reads label-zone ranges relative to the hour start', async (t) => {
  const cases: Array<{ name: string; gaps: string; hour: string; start: string; want: Array<[string, string]> }> = [
    { name: 'none', gaps: '', hour: '03', start: '2026-11-21T03:00Z', want: [] },
    {
      name: 'two ranges',
      gaps: '03:00-03:12,03:40-04:00',
      hour: '03',
      start: '2026-11-21T03:00Z',
      want: [
        ['2026-11-21T03:00Z', '2026-11-21T03:12Z'],
        ['2026-11-21T03:40Z', '2026-11-21T04:00Z'],
      ],
    },
    { name: 'last hour ends at 00:00', gaps: '23:30-00:00', hour: '23', start: '2026-11-21T23:00Z', want: [['2026-11-21T23:30Z', '2026-11-22T00:00Z']] },
    { name: 'offset zone (UTC+1 label 05 = 04Z)', gaps: '05:10-05:20', hour: '05', start: '2026-11-21T04:00Z', want: [['2026-11-21T04:10Z', '2026-11-21T04:20Z']] },
    { name: 'repeated autumn hour 02b', gaps: '02:00-02:05', hour: '02b', start: '2026-10-25T01:00Z', want: [['2026-10-25T01:00Z', '2026-10-25T01:05Z']] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.deepEqual(parseGaps(c.gaps, c.hour, T(c.start)), c.want.map(([a, b]) => range(a, b)));
    });
  }
  assert.throws(() => parseGaps('3:00-04:00', '03', T('2026-11-21T03:00Z')), /Cannot read gap "3:00-04:00" of hour 03/);
});

test('subtractRanges() removes the covered time', async (t) => {
  const cases: Array<[string, Array<[string, string]>, Array<[string, string]>, Array<[string, string]>]> = [
    ['nothing to cut', [['2026-01-01T01:00Z', '2026-01-01T02:00Z']], [], [['2026-01-01T01:00Z', '2026-01-01T02:00Z']]],
    ['cut in the middle', [['2026-01-01T01:00Z', '2026-01-01T02:00Z']], [['2026-01-01T01:10Z', '2026-01-01T01:20Z']], [['2026-01-01T01:00Z', '2026-01-01T01:10Z'], ['2026-01-01T01:20Z', '2026-01-01T02:00Z']]],
    ['cut everything', [['2026-01-01T01:00Z', '2026-01-01T02:00Z']], [['2026-01-01T00:00Z', '2026-01-01T03:00Z']], []],
    ['cut the end', [['2026-01-01T01:00Z', '2026-01-01T02:00Z']], [['2026-01-01T01:30Z', '2026-01-01T03:00Z']], [['2026-01-01T01:00Z', '2026-01-01T01:30Z']]],
  ];
  for (const [name, a, b, want] of cases) {
    await t.test(name, () => {
      const ranges = (list: Array<[string, string]>) => list.map(([s, e]) => range(s, e));
      assert.deepEqual(subtractRanges(ranges(a), ranges(b)), ranges(want));
    });
  }
});

test('formatHourRuns() joins consecutive hours of the day, across a skipped spring hour', () => {
  const day = ['00', '01', '02', '03', '04', '05'];
  assert.equal(formatHourRuns(['00', '01', '02', '05'], day), '00-02, 05');
  assert.equal(formatHourRuns([], day), '');
  assert.equal(formatHourRuns(['01', '03'], ['00', '01', '03', '04']), '01-03');
  assert.equal(formatHourRuns(['02', '02b', '03'], ['01', '02', '02b', '03']), '02-03');
});

test('formatRanges() lists ranges and counts those past the limit', () => {
  const ranges = [range('2026-11-21T03:00Z', '2026-11-21T03:10Z'), range('2026-11-21T05:00Z', '2026-11-21T05:02Z'), range('2026-11-21T23:00Z', '2026-11-22T00:00Z')];
  assert.equal(formatRanges(ranges, 'UTC'), '03:00-03:10, 05:00-05:02, 23:00-00:00');
  assert.equal(formatRanges(ranges, 'UTC', 1), '03:00-03:10, (+2 more)');
});

test('dayCoverage() merges gaps across hours into neither-covered and redundancy ranges', () => {
  const coverage = dayCoverage({
    hours: hoursOfLabelDay('2026-11-21', 'UTC'),
    lines: [line('03', '', '03:00-04:00'), line('04', '04:50-05:00', '04:00-05:00'), line('05', '05:00-05:05', '05:00-05:12')],
    expectServer2: true,
  });
  assert.equal(coverage.hours.length, 24);
  assert.deepEqual(coverage.neither, [range('2026-11-21T04:50Z', '2026-11-21T05:05Z')]);
  assert.deepEqual(coverage.redundancy.server2, [
    range('2026-11-21T03:00Z', '2026-11-21T04:50Z'),
    range('2026-11-21T05:05Z', '2026-11-21T05:12Z'),
  ]);
  assert.deepEqual(coverage.redundancy.server1, []);
  assert.equal(coverage.unpublished.length, 21);
});

test('dayCoverage() counts only server 1 when server 2 is not expected', () => {
  const coverage = dayCoverage({
    hours: hoursOfLabelDay('2026-11-21', 'UTC'),
    lines: [line('03', '03:00-03:05', '03:00-04:00')],
    expectServer2: false,
  });
  assert.deepEqual(coverage.neither, [range('2026-11-21T03:00Z', '2026-11-21T03:05Z')]);
  assert.deepEqual(coverage.redundancy, { server1: [], server2: [] });
});
