import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../src/platform/clock.js';
import { runHourly } from '../src/hourly/index.js';
import { readIngestAlerts } from '../src/contracts/ingest-alerts.js';
import { readManifest } from '../src/contracts/hour-manifest.js';
import { readPublishSpaceShortage } from '../src/contracts/publish-space.js';
import { observeConditions, runWatch } from '../src/notify/index.js';
import { hourStagingDir } from '../src/contracts/staging-layout.js';
import type { Settings } from '../src/config/index.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { logSink } from './helpers/log-sink.js';
import { fillToEnospc, mountSmallTmpfs } from './helpers/small-fs.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const HOUR = '2026-11-22T10';
const at = (iso: string) => fixedClock(Date.parse(iso));

/** Settings whose vault is `vault`, publishing hour 10 of 2026-11-22 (server 1 only). */
async function hourTenSetup(vault: string): Promise<TestSetup> {
  const root = await tempDir();
  return testSettings(root, {
    paths: { spool: join(root, 'spool'), state: join(root, 'state'), staging: join(root, 'staging'), vault },
    hourly: { first_hour: HOUR, expect_server2: false, xz_preset: 0, amend_interval_min: 0 },
  });
}

/** One server 1 spool file of receipt minute `minute` of `hour` (hour 10 by default) with one tweet of that minute. */
async function writeTweet(settings: Settings, minute: number, hour = HOUR): Promise<void> {
  const createdAt = `${hour}:${String(minute).padStart(2, '0')}:00.000Z`;
  await writeSpoolFile(settings.paths.spool, 'server1', createdAt, [
    tweetLine({ id: snowflakeId(Date.parse(createdAt), minute), createdAt }, createdAt, 'server1'),
  ]);
}

/** Every file of the vault's day folder and its bytes, the filler aside. */
async function dayFiles(vault: string): Promise<Map<string, Buffer>> {
  const day = join(vault, '2026-11-22');
  const names = (await readdir(day)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(day, name))] as const)));
}

const errorLines = (sink: ReturnType<typeof logSink>) => sink.lines().filter((line) => line.level === 50).map((line) => String(line.msg));

/** Hour 10 staged and ready (server 1's watermark at 11:06) on a 32 MB vault filled to ENOSPC by `filler`. */
async function readyHourOnFullVault(): Promise<{ settings: Settings; vault: string; filler: string }> {
  const vault = await mountSmallTmpfs(32);
  const { settings } = await hourTenSetup(vault);
  await writeTweet(settings, 10);
  await writeStreamJson(settings.paths.state, { watermark: '2026-11-22T11:06:00.000Z' });
  const filler = join(vault, 'filler');
  await fillToEnospc(filler);
  return { settings, vault, filler };
}

describe('hourly on a full vault filesystem', () => {
  it('refuses to publish with a clear message and alert, then publishes once space returns', async () => {
    const { settings, vault, filler } = await readyHourOnFullVault();

    const full = logSink();
    const refused = await runHourly({ settings, clock: at('2026-11-22T11:06:30Z'), log: full.log });
    assert.deepEqual(refused.outcomes, []);
    assert.deepEqual(refused.noSpace, [HOUR]);
    assert.match(errorLines(full)[0] ?? '', /hour 2026-11-22T10 not published: paths\.vault \(.*\) has 0 MB free, publishing needs \d+ MB/);
    const alerts = (await readIngestAlerts(settings.paths.state)).events.filter((event) => event.kind === 'publish-no-space');
    assert.equal(alerts.length, 1);
    assert.deepEqual(await readdir(vault), ['filler'], 'nothing half-published');

    await rm(filler);
    const later = await runHourly({ settings, clock: at('2026-11-22T11:11:30Z'), log: logSink().log });
    assert.deepEqual(later.noSpace, []);
    assert.deepEqual(later.outcomes.map((outcome) => outcome.kind), ['published']);
    const day = join(vault, '2026-11-22');
    const xzFiles = (await readdir(day)).filter((name) => name.endsWith('.xz'));
    assert.ok(xzFiles.length > 0);
    for (const name of xzFiles) execFileSync('xz', ['-t', join(day, name)]);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
    assert.match(await readFile(join(day, '2026-11-22_report.txt'), 'utf8'), /\n10\t1\t/);
  });

  it('skips an amendment without room, keeps the published version, and amends once space returns, as an unconstrained run does', async () => {
    const vault = await mountSmallTmpfs(32);
    const { settings } = await hourTenSetup(vault);
    const reference = await hourTenSetup(join(await tempDir(), 'vault'));
    await mkdir(reference.settings.paths.vault);
    for (const { settings: s } of [{ settings }, reference]) {
      await writeTweet(s, 10);
      await writeStreamJson(s.paths.state, { watermark: '2026-11-22T11:06:00.000Z' });
      await runHourly({ settings: s, clock: at('2026-11-22T11:06:30Z'), log: logSink().log });
      await writeTweet(s, 40);
    }
    const published = await dayFiles(vault);
    const filler = join(vault, 'filler');
    await fillToEnospc(filler);

    const full = logSink();
    const skipped = await runHourly({ settings, clock: at('2026-11-22T11:20:00Z'), log: full.log });
    assert.deepEqual(skipped.outcomes, []);
    assert.deepEqual(skipped.noSpace, [HOUR]);
    assert.match(
      errorLines(full)[0] ?? '',
      /^hour 2026-11-22T10 not amended: paths\.vault \(.*\) has 0 MB free, publishing needs \d+ MB; .*next hourly run amends it$/,
    );
    assert.equal((await readManifest(settings.paths.staging, HOUR))?.version, 1, 'the hour keeps its published version');
    assert.deepEqual(await dayFiles(vault), published, 'the published files are untouched');

    await rm(filler);
    const amended = await runHourly({ settings, clock: at('2026-11-22T11:30:00Z'), log: logSink().log });
    assert.deepEqual(amended.noSpace, []);
    assert.deepEqual(amended.outcomes.map((o) => [o.kind, o.manifest.version]), [['amended', 2]]);
    const unconstrained = await runHourly({ settings: reference.settings, clock: at('2026-11-22T11:30:00Z'), log: logSink().log });
    assert.deepEqual(unconstrained.outcomes.map((o) => [o.kind, o.manifest.version]), [['amended', 2]]);
    assert.deepEqual(await dayFiles(vault), await dayFiles(reference.settings.paths.vault), 'byte-identical to the unconstrained run');
  });

  it('hourly --hour H without room fails with one line naming the folder and the sizes, exit code 1, and leaves everything as it was', async () => {
    const vault = await mountSmallTmpfs(32);
    const { settings, configPath } = await hourTenSetup(vault);
    await writeTweet(settings, 10);
    const filler = join(vault, 'filler');
    await fillToEnospc(filler);
    const hourly = () =>
      spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'hourly', '--config', configPath, '--hour', HOUR, '--now', '2026-11-22T10:30:00Z'], {
        env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
        encoding: 'utf8',
      });

    const refused = hourly();
    assert.equal(refused.status, 1);
    // The log lines go to stderr too; the error is the last line, without a stack.
    assert.match(
      refused.stderr.split('\n').at(-2) ?? '',
      /^sampled-stream hourly failed: hour 2026-11-22T10 not published: paths\.vault \(.*\) has 0 MB free, publishing needs \d+ MB; free space there and run hourly --hour 2026-11-22T10 again$/,
    );
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
    assert.deepEqual(await readdir(vault), ['filler'], 'nothing written to the vault');
    assert.equal(await readManifest(settings.paths.staging, HOUR), null);
    assert.ok((await readdir(join(hourStagingDir(settings.paths.staging, HOUR), 'server1'))).length > 0, 'the staged hour stays');

    await rm(filler);
    const done = hourly();
    assert.equal(done.status, 0, done.stderr);
    assert.equal((await readManifest(settings.paths.staging, HOUR))?.version, 1);
  });

  it('alerts a shortage once while it lasts, recovers when an hour publishes again, and alerts a new shortage again', async () => {
    const { settings, filler } = await readyHourOnFullVault();
    // statfs alone never opens disk-low here: only hourly's shortage record does.
    settings.alerts.min_free_gb = 0;
    const mails: string[] = [];
    const hourlyThenWatch = async (iso: string) => {
      const result = await runHourly({ settings, clock: at(iso), log: logSink().log });
      const nowMs = Date.parse(iso) + 30_000;
      const observe = () => observeConditions({ settings, nowMs, measureSkew: async () => null });
      const watched = await runWatch({ settings, nowMs, log: logSink().log, mailer: null, observe });
      const diskMails = watched.mails.filter((m) => m.condition === 'disk-low' || m.condition === 'bad-input');
      mails.push(...diskMails.map((m) => `${m.condition} ${m.kind}`));
      return result;
    };
    const noSpaceAlerts = async () => (await readIngestAlerts(settings.paths.state)).events.filter((e) => e.kind === 'publish-no-space');

    for (const iso of ['2026-11-22T11:06:30Z', '2026-11-22T11:11:30Z', '2026-11-22T11:16:30Z']) {
      assert.deepEqual((await hourlyThenWatch(iso)).noSpace, [HOUR], iso);
    }
    assert.equal((await noSpaceAlerts()).length, 1, 'three runs while short raise one alert');
    assert.deepEqual(mails, ['disk-low alert'], 'and watch mails it once');
    assert.equal((await readPublishSpaceShortage(settings.paths.state))?.since, '2026-11-22T11:06:30.000Z');

    await rm(filler);
    assert.deepEqual((await hourlyThenWatch('2026-11-22T11:21:30Z')).outcomes.map((o) => o.kind), ['published']);
    assert.equal(await readPublishSpaceShortage(settings.paths.state), null, 'the episode ends when an hour publishes');
    assert.deepEqual(mails, ['disk-low alert', 'disk-low recovered']);

    await writeTweet(settings, 10, '2026-11-22T11');
    await writeStreamJson(settings.paths.state, { watermark: '2026-11-22T12:06:00.000Z' });
    await fillToEnospc(filler);
    assert.deepEqual((await hourlyThenWatch('2026-11-22T12:06:30Z')).noSpace, ['2026-11-22T11']);
    assert.equal((await noSpaceAlerts()).length, 2, 'a new shortage alerts again');
    assert.deepEqual(mails, ['disk-low alert', 'disk-low recovered', 'disk-low alert']);
  });
});
