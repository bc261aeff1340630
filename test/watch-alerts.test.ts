import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/main.js';
import { observeConditions, runWatch, type Mailer, type OutgoingMail } from '../src/notify/index.js';
import { writeJsonAtomic } from '../src/platform/atomic-write.js';
import { streamStatePath } from '../src/contracts/index.js';
import { syncStatePath } from '../src/contracts/sync-state.js';
import { FakeClock } from './helpers/fake-clock.js';
import { logSink } from './helpers/log-sink.js';
import { testSettings } from './helpers/settings.js';
import { makeTestCertificate, mimeHeader, startSmtpServer } from './helpers/smtp.js';
import { tempDir } from './helpers/tmp.js';

process.env.LOG_LEVEL = 'silent';

const QUIET = { alert_interval_min: 60, silence_alert_min: 10 };
const NO_DISK_ALERT = { min_free_gb: 0 };

/** The stream.json fields the conditions read, with the daemon's last write at `updatedMs`. */
async function writeStream(stateDir: string, updatedMs: number): Promise<void> {
  const at = new Date(updatedMs).toISOString();
  await writeJsonAtomic(streamStatePath(stateDir), {
    format_version: 1,
    server: 'server1',
    first_started_at: '2026-11-01T00:00:00.000Z',
    started_at: '2026-11-01T00:00:00.000Z',
    updated_at: at,
    connected: true,
    last_message_at: at,
    watermark: at,
    counters: { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    gaps: [],
    segments: {},
    auth: { state: 'ok' },
    usage_capped_at: null,
  });
}

/** The sync-state.json fields the conditions do not read. */
const SYNC_STATE = { format_version: 1, server: 'server2', complete_until: null, gaps: [], sent: {} };

async function writeRemoteSync(spoolDir: string, updatedMs: number): Promise<void> {
  await writeJsonAtomic(syncStatePath(spoolDir), {
    ...SYNC_STATE,
    backlog: { files: 0, bytes: 0, oldest_minute: null },
    updated_at: new Date(updatedMs).toISOString(),
  });
}

/** A mailer double that records subjects and fails while `failing` is set. */
function recordingMailer(): Mailer & { subjects: string[]; failing: boolean } {
  const mailer = {
    subjects: [] as string[],
    failing: false,
    async send(mail: OutgoingMail) {
      if (mailer.failing) return { ok: false as const, error: new Error('SMTP down') };
      mailer.subjects.push(mail.subject);
      return { ok: true as const, messageId: `<${mailer.subjects.length}@test>` };
    },
  };
  return mailer;
}

test('runWatch() rate limits alert mails, retries a failed one and mails the recovery', async () => {
  const root = await tempDir('watch-alerts-');
  const { settings } = await testSettings(root, { email: QUIET, alerts: NO_DISK_ALERT });
  const clock = new FakeClock('2026-11-22T10:00:00Z');
  const mailer = recordingMailer();
  const sink = logSink();
  const watch = () =>
    runWatch({
      settings,
      nowMs: clock.now(),
      log: sink.log,
      mailer,
      observe: () => observeConditions({ settings, nowMs: clock.now(), measureSkew: async () => 150 }),
    });
  // The daemon died at 09:45; server 2 keeps syncing.
  await writeStream(settings.paths.state, Date.parse('2026-11-22T09:45:00Z'));
  const runs: Array<{ minute: number; mails: string[] }> = [];
  for (let minute = 0; minute <= 95; minute++) {
    await writeRemoteSync(settings.paths.spool, clock.now());
    if (minute === 90) await writeStream(settings.paths.state, clock.now());
    mailer.failing = minute === 60;
    const result = await watch();
    if (result.mails.length > 0) runs.push({ minute, mails: result.mails.map((m) => `${m.kind}${m.sent ? '' : ' (unsent)'}`) });
    await clock.advance(60_000);
  }
  assert.deepEqual(runs, [
    { minute: 0, mails: ['alert'] },
    { minute: 60, mails: ['reminder (unsent)'] },
    { minute: 61, mails: ['reminder'] },
    { minute: 90, mails: ['recovered'] },
  ]);
  assert.match(mailer.subjects[0]!, /^sampled-stream server1 ALERT: no data from the stream: stream daemon down/);
  assert.match(mailer.subjects[2]!, /^sampled-stream server1 recovered: no data from the stream \(after 90 min\)$/);
  const saved = JSON.parse(await readFile(`${settings.paths.state}/alerts.json`, 'utf8'));
  assert.deepEqual(saved, { format_version: 1, open: {} });
});

test('observeConditions() turns an unreadable state file into an open condition', async () => {
  const root = await tempDir('watch-observe-');
  const { settings } = await testSettings(root, { email: QUIET, alerts: NO_DISK_ALERT, hourly: { expect_server2: false } });
  await writeFile(streamStatePath(settings.paths.state), '{ truncated');
  const observations = await observeConditions({ settings, nowMs: Date.now(), measureSkew: async () => null });
  const silence = observations.find((o) => o.condition === 'silence');
  assert.equal(silence?.open, true);
  assert.match(silence!.detail, /^cannot check: Cannot read .*stream\.json/);
  assert.deepEqual(
    observations.map((o) => o.condition).sort(),
    ['bad-input', 'disk-low', 'silence'],
    'one alert for the broken file; no clock skew when unreachable; no sync condition on a single server',
  );
});

test('watch --now mails an open condition once through real SMTP and keeps alerts.json', async () => {
  const root = await tempDir('watch-command-');
  const cert = await makeTestCertificate(root);
  const server = await startSmtpServer({ cert });
  after(() => server.close());
  const { configPath, settings } = await testSettings(root, {
    server: 'server2',
    alerts: NO_DISK_ALERT,
    email: { ...QUIET, enabled: true, smtp_host: '127.0.0.1', smtp_port: server.port, ca_file: cert.certFile, from: 's2@example.org', to: ['ops@example.org'] },
  });
  const now = Date.parse('2026-11-22T10:00:00Z');
  await writeStream(settings.paths.state, now - 30_000);
  // Server 2's sync last ran 20 minutes ago with 12 files waiting since then.
  await writeJsonAtomic(`${settings.paths.state}/sync-state.json`, {
    ...SYNC_STATE,
    backlog: { files: 12, bytes: 3_000_000, oldest_minute: '2026-11-22T09:40:00.000Z' },
    updated_at: '2026-11-22T09:40:00.000Z',
  });
  const run = async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    return main(['watch', '--config', configPath, '--now', '2026-11-22T10:00:00Z'], { stdout, stderr, env: { SAMPLED_STREAM_ALLOW_ROOT: '1' } });
  };
  assert.equal(await run(), 0);
  assert.equal(await run(), 0);
  assert.equal(server.messages.length, 1, 'the second run is within the interval');
  assert.match(mimeHeader(server.messages[0]!.raw, 'subject') ?? '', /^sampled-stream server2 ALERT: sync to server 1 is behind: sync has not run since 2026-11-22T09:40:00.000Z \(20 min\)/);
  const saved = JSON.parse(await readFile(`${settings.paths.state}/alerts.json`, 'utf8'));
  assert.equal(saved.format_version, 1);
  assert.deepEqual(Object.keys(saved.open), ['sync-backlog']);
});
