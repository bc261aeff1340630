import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from '../src/config/index.js';
import { appendIngestAlerts, readIngestAlerts, readManifest, readinessStatePath, manifestPath } from '../src/contracts/index.js';
import { runHourly } from '../src/hourly/index.js';
import { runWatch } from '../src/notify/index.js';
import { drainOutbox } from '../src/osf/index.js';
import { outboxDir } from '../src/osf/outbox-store.js';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { testSettings } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';

/**
 * Issue 12.3 for the state files not covered by src/contracts/state-readers.test.ts (stream.json, both
 * sync-state.json, sync-inflight.json): each is read by the run of the process that owns it, which accepts a file
 * written before format_version existed, refuses a newer one by name, and sets a garbage one aside with an alert
 * instead of failing (and failing again on every later run).
 */

const NOW = Date.parse('2026-11-22T10:05:00Z');
const clock = fixedClock(NOW);
const log = silentLogger();

interface OwnedFile {
  name: string;
  path: (settings: Settings) => string;
  /** A valid document of version 1, without format_version (as written before the field existed). */
  legacy: Record<string, unknown>;
  /** One run of the owner. */
  run: (settings: Settings) => Promise<unknown>;
}

const hourly = (settings: Settings) => runHourly({ settings, clock, log });
const drain = (settings: Settings) => drainOutbox({ settings, clock, log });

const owned: OwnedFile[] = [
  {
    name: 'alerts.json (watch)',
    path: (s) => join(s.paths.state, 'alerts.json'),
    legacy: { open: {} },
    run: (settings) => runWatch({ settings, nowMs: NOW, log, mailer: null, observe: async () => [] }),
  },
  {
    name: 'outbox entry (OSF drain)',
    path: (s) => join(outboxDir(s.paths.state), '0123456789abcdef0123456789abcdef.json'),
    legacy: {
      requestId: 'r1',
      remotePath: '2026/11/22/2026-11-22_09_IDs.txt.xz',
      localPath: '/nonexistent/2026-11-22_09_IDs.txt.xz',
      enqueuedAt: '2026-11-22T10:00:00.000Z',
      attempts: 1,
      // Not due: the drain must not need OSF to read it.
      nextAttemptAt: '2026-11-22T11:00:00.000Z',
      lastError: 'OSF answered HTTP 503',
      firstFailureAt: '2026-11-22T10:00:00.000Z',
    },
    run: drain,
  },
  {
    name: 'osf-status.json (OSF drain)',
    path: (s) => join(s.paths.state, 'osf-status.json'),
    legacy: { lastAlert: null, alertedAt: null, pausedUntil: null },
    run: drain,
  },
  {
    name: 'publish-space.json (hourly)',
    path: (s) => join(s.paths.state, 'publish-space.json'),
    legacy: { since: '2026-11-22T09:05:00.000Z', hour: '2026-11-22T08', path: '/vault', detail: 'paths.vault has 1 MB free' },
    run: hourly,
  },
  {
    name: 'readiness.json (hourly)',
    path: (s) => readinessStatePath(s.paths.staging),
    legacy: { servers: { server1: { watermark: null, advanced_at: null } } },
    run: hourly,
  },
  {
    name: 'ingest-alerts.json (hourly, with nothing to alert)',
    path: (s) => join(s.paths.state, 'ingest-alerts.json'),
    legacy: { updated_at: '2026-11-22T10:00:00.000Z', events: [] },
    run: hourly,
  },
  {
    name: 'ingest-alerts.json (hourly, appending an event)',
    path: (s) => join(s.paths.state, 'ingest-alerts.json'),
    legacy: { updated_at: '2026-11-22T10:00:00.000Z', events: [] },
    run: (settings) =>
      appendIngestAlerts(settings.paths.state, [{ at: new Date(NOW).toISOString(), kind: 'foreign-file', server: 'server1', path: '/x', detail: 'x' }], NOW),
  },
];

async function setup(): Promise<Settings> {
  const root = await tempDir();
  // Enabled, so the drain reads its files; the token is never used, since no entry is due.
  const osf = { enabled: true, project_id: 'abc12', token_file: join(root, 'secrets', 'bearer_token') };
  return (await testSettings(root, { hourly: { expect_server2: false }, osf })).settings;
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

describe('state files owned by watch, the OSF drain and hourly', () => {
  for (const file of owned) {
    it(`${file.name}: a file without format_version is read as version 1`, async () => {
      const settings = await setup();
      await put(file.path(settings), JSON.stringify(file.legacy));
      await file.run(settings);
      const names = await readdir(dirname(file.path(settings)));
      assert.equal(names.some((name) => name.includes('.corrupt-')), false, names.join(', '));
    });

    it(`${file.name}: a newer format_version is refused naming the file and the upgrade, and left in place`, async () => {
      const settings = await setup();
      const text = JSON.stringify({ ...file.legacy, format_version: 2 });
      await put(file.path(settings), text);
      await assert.rejects(file.run(settings), (err: Error) => err.message.includes(file.path(settings)) && /upgrade sampled-stream/.test(err.message));
      assert.ok((await readdir(dirname(file.path(settings)))).includes(file.path(settings).split('/').pop()!));
    });

    it(`${file.name}: a truncated file is moved aside with a corrupt-state-file alert, and the run goes on`, async () => {
      const settings = await setup();
      await put(file.path(settings), '{"format_version": 1, "ope');
      await file.run(settings);
      const alert = (await readIngestAlerts(settings.paths.state)).events.find((event) => event.kind === 'corrupt-state-file');
      assert.match(alert?.path ?? '', /\.corrupt-2026-11-22T10-05-00Z$/);
      assert.equal(dirname(alert!.path), dirname(file.path(settings)), 'set aside next to where it was');
      assert.ok((await readdir(dirname(file.path(settings)))).includes(alert!.path.split('/').pop()!));
    });
  }

  it('an hour manifest of a newer format_version is refused naming the hour and the upgrade; a garbage one is an error naming the fix, never read as absent', async () => {
    const settings = await setup();
    const { staging } = settings.paths;
    await put(manifestPath(staging, '2026-11-22T08'), JSON.stringify({ format_version: 2 }));
    await assert.rejects(readManifest(staging, '2026-11-22T08'), /manifest of hour 2026-11-22T08: .*format_version 2.*upgrade sampled-stream/);
    // The commit point of a publication is never guessed at: read as absent, the hour would be published again as version 1.
    await put(manifestPath(staging, '2026-11-22T08'), '{"format_version": 1, "ho');
    await assert.rejects(readManifest(staging, '2026-11-22T08'), /manifest of hour 2026-11-22T08: .*not JSON.*republish the hour with hourly --hour/);
  });
});
