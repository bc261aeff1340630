import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previousLabelDate, reportFilePath } from './daily-report-job.js';

test('previousLabelDate() is the day before today in the label zone', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['2026-11-22T02:00:00Z', 'UTC', '2026-11-21'],
    ['2026-11-22T00:00:00Z', 'UTC', '2026-11-21'],
    ['2026-11-21T23:30:00Z', 'Europe/Berlin', '2026-11-21'],
    ['2026-11-22T05:00:00Z', 'America/New_York', '2026-11-21'],
    ['2026-03-01T01:00:00Z', 'UTC', '2026-02-28'],
    ['2027-01-01T01:00:00Z', 'Europe/Berlin', '2026-12-31'],
  ];
  for (const [now, zone, want] of cases) {
    await t.test(`${now} in ${zone}`, () => assert.equal(previousLabelDate(Date.parse(now), zone), want));
  }
});

test('reportFilePath() is <vault>/<date>/<date>_report.txt', () => {
  assert.equal(reportFilePath('/srv/vault', '2026-11-21'), '/srv/vault/2026-11-21/2026-11-21_report.txt');
});
