import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IngestAlert } from '../contracts/index.js';
import { linesOfHours, previousLabelDate, reportFilePath } from './daily-report-job.js';

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

test('linesOfHours() sums the alerts of one kind of the given hours only', () => {
  const event = (kind: IngestAlert['kind'], hour: string | undefined, lines: number): IngestAlert => ({ at: '', kind, server: 'server1', path: '', hour, lines, detail: '' });
  const events = [
    event('rejected-lines', '2026-11-21T00', 3),
    event('rejected-lines', '2026-11-21T23', 4),
    event('rejected-lines', '2026-11-22T00', 100),
    event('late-arrival', '2026-11-21T05', 50),
    event('rejected-lines', undefined, 7),
  ];
  const day = Array.from({ length: 24 }, (_, h) => Date.parse('2026-11-21T00:00:00Z') + h * 3_600_000);
  assert.equal(linesOfHours(events, 'rejected-lines', day), 7);
  assert.equal(linesOfHours(events, 'rejected-lines', []), 0);
});

test('reportFilePath() is <vault>/<date>/<date>_report.txt', () => {
  assert.equal(reportFilePath('/srv/vault', '2026-11-21'), '/srv/vault/2026-11-21/2026-11-21_report.txt');
});
