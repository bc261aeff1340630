import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursOfLabelDay } from '../contracts/hour-label.js';
import type { ReportLine } from '../contracts/index.js';
import { renderChart, stripSegments } from './chart.js';
import { dayCoverage, type HourCoverage } from './day-coverage.js';

function hourWith(gaps1: string, gaps2: string, published = true): HourCoverage {
  const line: ReportLine = { hour: '03', serv1: 900, serv2: 1000, total: 1000, diff: 100, only1: 0, only2: 100, late: 0, gaps1, gaps2, version: 1 };
  const coverage = dayCoverage({ hours: hoursOfLabelDay('2026-11-21', 'UTC'), lines: published ? [line] : [], expectServer2: true });
  return coverage.hours[3]!;
}

test('stripSegments() fills the strip exactly and keeps a one-minute gap visible', async (t) => {
  const cases: Array<{ name: string; hour: HourCoverage; merged: boolean; states: string[] }> = [
    { name: 'no gap', hour: hourWith('', ''), merged: false, states: ['covered'] },
    { name: 'one-minute gap of server 1', hour: hourWith('03:30-03:31', ''), merged: false, states: ['covered', 'missing', 'covered'] },
    { name: 'merged: one server, then neither', hour: hourWith('03:10-03:20', '03:00-03:20'), merged: true, states: ['oneServer', 'missing', 'covered'] },
    { name: 'unpublished', hour: hourWith('', '', false), merged: true, states: ['unpublished'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const segments = stripSegments(c.hour, c.merged ? null : c.hour.missing1);
      assert.deepEqual(segments.map((s) => s.state), c.states);
      assert.equal(segments.reduce((sum, s) => sum + s.px, 0), 28);
      assert.equal(segments.reduce((sum, s) => sum + s.minutes, 0), 60);
      for (const s of segments.filter((x) => x.state === 'missing' || x.state === 'oneServer')) assert.ok(s.px >= 2);
    });
  }
});

test('renderChart() draws bars per server and coverage strips without scripts or external resources', () => {
  const coverage = dayCoverage({
    hours: hoursOfLabelDay('2026-11-21', 'UTC'),
    lines: [
      { hour: '00', serv1: 500, serv2: 1000, total: 1000, diff: 500, only1: 0, only2: 500, late: 0, gaps1: '00:00-00:30', gaps2: '', version: 2 },
    ],
    expectServer2: true,
  });
  const html = renderChart(coverage.hours, true);
  assert.match(html, /data-chart="tweets-per-hour"/);
  assert.match(html, /width="12" height="120" bgcolor="#dd6b20"/, 'the larger server gets the full bar height');
  assert.match(html, /width="12" height="60" bgcolor="#2b6cb0"/, 'half the tweets, half the height');
  assert.match(html, /title="00: server 1 500, server 2 1,000"/);
  assert.match(html, />v2</, 'the amended hour is marked');
  assert.match(html, />merged</);
  assert.doesNotMatch(html, /<script|<img|<link|url\(|https?:/i);
  const single = renderChart(coverage.hours, false);
  assert.doesNotMatch(single, /#dd6b20|>server 2</);
});
