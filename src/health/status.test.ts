import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatStatus, summarizeStatus, type StatusInputs } from './status.js';
import type { StreamState } from '../contracts/index.js';
import type { SyncState } from '../contracts/sync-state.js';
import { writeJsonAtomic } from '../platform/atomic-write.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { testSettings } from '../../test/helpers/settings.js';
import { runCli } from '../../test/helpers/run-cli.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');

function stream(overrides: Partial<StreamState> = {}): StreamState {
  return {
    format_version: 1,
    server: 'server1',
    first_started_at: '2026-11-20T00:00:00.000Z',
    started_at: '2026-11-22T08:00:00.000Z',
    updated_at: '2026-11-22T10:29:58.000Z',
    connected: true,
    last_message_at: '2026-11-22T10:29:57.000Z',
    watermark: '2026-11-22T10:29:00.000Z',
    counters: { messages: 10, tweets: 10, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    gaps: [
      { start: '2026-11-21T23:00:00.000Z', end: '2026-11-21T23:00:05.000Z', reason: 'stall' },
      { start: '2026-11-22T03:00:00.000Z', end: '2026-11-22T03:00:02.000Z', reason: 'drop' },
    ],
    segments: {},
    auth: { state: 'ok' },
    tweets_by_minute: { '2026-11-22T09:00:00.000Z': 100, '2026-11-22T09:45:00.000Z': 40, '2026-11-22T10:29:00.000Z': 2 },
    ...overrides,
  };
}

const sync: SyncState = {
  format_version: 1,
  server: 'server2',
  complete_until: '2026-11-22T10:28:00.000Z',
  gaps: [],
  backlog: { files: 0, bytes: 0, oldest_minute: null },
  sent: {},
  updated_at: '2026-11-22T10:29:30.000Z',
};

function inputs(overrides: Partial<StatusInputs> = {}): StatusInputs {
  return {
    server: 'server1',
    expectServer2: true,
    stream: stream(),
    sync,
    lastPublished: { hour: '2026-11-22T09', label: '2026-11-22_09', version: 1, publishedAt: '2026-11-22T10:05:00.000Z' },
    amendmentsToday: 1,
    uploads: { pending: 1, failing: 0 },
    disk: [{ key: 'paths.spool', path: '/srv/spool', freeGb: 40 }],
    silenceAlertMin: 10,
    diskFreeAlertGb: 10,
    ...overrides,
  };
}

const cases: Array<{ name: string; input: StatusInputs; reasons: RegExp[] }> = [
  { name: 'healthy server 1', input: inputs(), reasons: [] },
  { name: 'daemon down', input: inputs({ stream: stream({ updated_at: '2026-11-22T10:00:00.000Z' }) }), reasons: [/stream daemon is not running/] },
  { name: 'silent stream', input: inputs({ stream: stream({ last_message_at: '2026-11-22T10:10:00.000Z' }) }), reasons: [/no message from the X API for over 10 min/] },
  { name: 'token rejected', input: inputs({ stream: stream({ auth: { state: 'rejected', status: 401, detail: 'Unauthorized' } }) }), reasons: [/rejects the token: Unauthorized/] },
  { name: 'server 2 never synced', input: inputs({ sync: null }), reasons: [/server 2 has never synced/] },
  { name: 'stale server 2', input: inputs({ sync: { ...sync, updated_at: '2026-11-22T09:00:00.000Z' } }), reasons: [/sync state is stale/] },
  { name: 'single server setup', input: inputs({ sync: null, expectServer2: false }), reasons: [] },
  { name: 'failing uploads and low disk', input: inputs({ uploads: { pending: 2, failing: 2 }, disk: [{ key: 'paths.vault', path: '/v', freeGb: 3 }] }), reasons: [/2 OSF upload\(s\) failing/, /paths\.vault has 3\.0 GB free/] },
];

for (const { name, input, reasons } of cases) {
  test(`summarizeStatus() judges ${name}`, () => {
    const report = summarizeStatus(input, NOW);
    assert.equal(report.ok, reasons.length === 0, report.reasons.join('; '));
    assert.equal(report.reasons.length, reasons.length, report.reasons.join('; '));
    reasons.forEach((r, i) => assert.match(report.reasons[i]!, r));
  });
}

test('summarizeStatus() counts tweets of the last hour and reconnects of today', () => {
  const report = summarizeStatus(inputs(), NOW);
  assert.equal(report.stream?.tweets_last_hour, 42);
  assert.equal(report.stream?.reconnects_today, 1);
  assert.equal(report.stream?.last_message_age_s, 3);
  const text = formatStatus(report);
  assert.match(text, /^sampled-stream server1: ok$/m);
  assert.match(text, /^stream +connected, last message 3 s ago, 42 tweets in the last hour, 1 reconnects today$/m);
  assert.match(text, /^published +last hour 2026-11-22_09 .*1 amendments today$/m);
});

function status(configPath: string, ...args: string[]) {
  return runCli(['status', '--config', configPath, ...args], {});
}

test('status exits 0 with "ok": false and the reasons on a server that never ran', async () => {
  const { configPath } = await testSettings(await tempDir());
  const { code, out } = await status(configPath, '--json');
  assert.equal(code, 0);
  const report = JSON.parse(out) as { ok: boolean; reasons: string[] };
  assert.equal(report.ok, false);
  assert.match(report.reasons.join('\n'), /never run here/);
});

test('status reads stream.json and server 2 sync state of a running server 1', async () => {
  const { configPath, settings } = await testSettings(await tempDir(), { alerts: { min_free_gb: 0 } });
  const now = Date.now();
  await writeJsonAtomic(join(settings.paths.state, 'stream.json'), stream({ updated_at: new Date(now).toISOString(), last_message_at: new Date(now - 1000).toISOString(), gaps: [] }));
  await writeJsonAtomic(join(settings.paths.spool, 'server2', '.state', 'sync-state.json'), { ...sync, updated_at: new Date(now).toISOString() });
  const { code, out } = await status(configPath);
  assert.equal(code, 0);
  assert.match(out, /^sampled-stream server1: ok$/m);
  assert.match(out, /^server 2 +complete until 2026-11-22T10:28:00.000Z/m);
  assert.match(out, /^published +nothing yet/m);
});
