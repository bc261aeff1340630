import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IngestAlert } from '../contracts/index.js';
import { writeSyncStateJson } from '../../test/helpers/spool-writer.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { testSettings } from '../../test/helpers/settings.js';
import { linesOfHours, loadDayReportInput, previousLabelDate, reportFilePath } from './daily-report-job.js';

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

test('loadDayReportInput() takes server 1\'s free space now and server 2\'s from its pushed sync state', async () => {
  const { settings } = await testSettings(await tempDir());
  await writeSyncStateJson(settings.paths.spool, null, [], {
    free_space: [{ key: 'paths.spool', path: '/srv/spool', free_bytes: 42e9 }],
    updated_at: '2026-11-21T23:59:00.000Z',
  });
  const input = await loadDayReportInput(settings, '2026-11-21', Date.parse('2026-11-22T02:00:00Z'));
  const [own, remote] = input.freeSpace;
  assert.equal(own?.server, 'server1');
  assert.deepEqual(own?.folders.map((f) => f.key).sort(), ['paths.spool', 'paths.staging', 'paths.state', 'paths.vault']);
  assert.ok(own!.folders.every((f) => f.freeBytes > 0));
  assert.deepEqual(remote, { server: 'server2', measuredAt: '2026-11-21T23:59:00.000Z', folders: [{ key: 'paths.spool', path: '/srv/spool', freeBytes: 42e9 }] });
});
