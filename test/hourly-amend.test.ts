import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { HourClosedError } from '../src/hourly/publish/publish.js';
import type { PublishedFiles } from '../src/hourly/publish/publish-types.js';
import { readIngestAlerts, readManifest } from '../src/contracts/index.js';
import { runHourly, type HourlyOptions } from '../src/hourly/index.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson, writeSyncStateJson } from './helpers/spool-writer.js';

const xzcat = (path: string): string => execFileSync('xz', ['-dc', path], { encoding: 'utf8' });

describe('hourly amendments (DESIGN 3.4)', () => {
  it('a late server 2 amends the hour (version 2, line replaced), the hour closes after retention, and late/ replays into it', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { staging_retention_h: 2, amend_interval_min: 60 } });
    const { spool, state, staging, vault } = settings.paths;
    const day = join(vault, '2026-11-22');
    const ids = Array.from({ length: 8 }, (_, i) => snowflakeId(Date.parse(`2026-11-22T10:0${i}:00Z`), i));
    const line = (i: number, server: string) =>
      tweetLine({ id: ids[i]!, createdAt: `2026-11-22T10:0${i}:00.000Z` }, `2026-11-22T10:0${i}:01.000Z`, server);
    for (let i = 0; i < 5; i++) await writeSpoolFile(spool, 'server1', `2026-11-22T10:0${i}:00Z`, [line(i, 'server1')]);
    const published: PublishedFiles[] = [];
    const run = async (nowIso: string, options: HourlyOptions = {}) => {
      await writeStreamJson(state, { watermark: new Date(Date.parse(nowIso) - 60_000).toISOString(), firstStartedAt: '2026-11-22T10:00:00.000Z' });
      return runHourly({ settings, clock: fixedClock(Date.parse(nowIso)), log: silentLogger(), onPublished: async (f) => void published.push(f) }, options);
    };
    const reportLines = async () => (await readFile(join(day, '2026-11-22_report.txt'), 'utf8')).trimEnd().split('\n').slice(1);

    // Server 2 has no state at all: waited for until the deadline (11:30).
    assert.deepEqual((await run('2026-11-22T11:10:00Z')).outcomes, []);
    const first = await run('2026-11-22T11:31:00Z');
    assert.deepEqual(first.outcomes.map((o) => [o.hour, o.kind, o.manifest.version]), [['2026-11-22T10', 'published', 1]]);
    assert.deepEqual(await reportLines(), ['10\t5\t0\t5\t5\t100.00%\t5\t0\t0\t10:05-11:00\t10:00-11:00\t1']);

    // Server 2 syncs its hour: the same five tweets plus one only it received.
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) sent.push(await writeSpoolFile(spool, 'server2', `2026-11-22T10:0${i}:00Z`, [line(i, 'server2')]));
    await writeSyncStateJson(spool, '2026-11-22T11:40:00.000Z', sent);
    const batched = await run('2026-11-22T11:45:00Z');
    assert.equal(batched.ingest?.files, 6);
    assert.deepEqual(batched.outcomes, [], 'batched: one rebuild per amend_interval_min');
    const amended = await run('2026-11-22T12:32:00Z');
    const hour10 = amended.outcomes.find((o) => o.hour === '2026-11-22T10');
    assert.equal(hour10?.kind, 'amended');
    assert.equal(hour10?.manifest.version, 2);
    const lines = await reportLines();
    assert.equal(lines.filter((l) => l.startsWith('10\t')).length, 1, 'the line is replaced, not duplicated');
    assert.equal(lines[0], '10\t5\t6\t6\t1\t16.67%\t0\t1\t1\t10:05-11:00\t10:06-11:00\t2');
    assert.equal(xzcat(join(day, '2026-11-22_10_IDs.txt.xz')), ids.slice(0, 6).map((id) => `${id}\n`).join(''));
    assert.ok(published.some((p) => p.hour === '2026-11-22T10' && p.version === 2));
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });

    // Two hours after the first publication the hour closes: staging removed, manifest kept.
    const closing = await run('2026-11-22T13:32:00Z');
    assert.ok(closing.closed.includes('2026-11-22T10'));
    assert.equal((await readManifest(staging, '2026-11-22T10'))?.closed_at, '2026-11-22T13:32:00.000Z');
    assert.ok(!(await readdir(join(staging, 'hours'))).includes('2026-11-22T10'));

    await assert.rejects(run('2026-11-22T13:33:00Z', { hour: '2026-11-22T10' }), HourClosedError);

    // A later arrival goes to late/ and is reported; the published files do not change.
    const lateFile = await writeSpoolFile(spool, 'server2', '2026-11-22T13:40:00Z', [line(6, 'server2'), line(2, 'server2')]);
    await writeSyncStateJson(spool, '2026-11-22T13:45:00.000Z', [lateFile]);
    const late = await run('2026-11-22T13:50:00Z');
    assert.equal(late.ingest?.lateLines, 2);
    assert.ok(!late.outcomes.some((o) => o.hour === '2026-11-22T10'));
    assert.ok((await readIngestAlerts(state)).events.some((e) => e.kind === 'late-arrival' && e.hour === '2026-11-22T10'));

    // --include-late adds the late tweets to the published files as version 3.
    const replay = await run('2026-11-22T14:00:00Z', { hour: '2026-11-22T10', includeLate: true });
    assert.deepEqual(replay.outcomes.map((o) => [o.kind, o.manifest.version]), [['amended', 3]]);
    assert.equal(xzcat(join(day, '2026-11-22_10_IDs.txt.xz')), ids.slice(0, 7).map((id) => `${id}\n`).join(''));
    const tweets = xzcat(join(day, '2026-11-22_10_tweets.csv.xz')).trimEnd().split('\n');
    assert.equal(tweets.length, 8);
    assert.deepEqual(tweets.slice(1).map((row) => row.split(',')[0]), ids.slice(0, 7));
    const users = xzcat(join(day, '2026-11-22_10_users.csv.xz')).trimEnd().split('\n');
    assert.equal(users.length, 8, 'the new author got a users row');
    assert.equal((await reportLines())[0], '10\t5\t7\t7\t2\t28.57%\t0\t2\t2\t10:05-11:00\t10:06-11:00\t3');
    assert.deepEqual(await readdir(join(staging, 'late')), []);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
  });

  it('--include-late on an open hour stages its late files and rebuilds it from staging', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { expect_server2: false, xz_preset: 0 } });
    const { spool, state, staging, vault } = settings.paths;
    const tweet = (i: number, server: string) => {
      const createdAt = `2026-11-22T10:1${i}:00.000Z`;
      return tweetLine({ id: snowflakeId(Date.parse(createdAt), i), createdAt }, createdAt, server);
    };
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:10:00Z', [tweet(0, 'server1')]);
    await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z' });
    const deps = { settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() };
    await runHourly(deps);
    await mkdir(join(staging, 'late', '2026-11-22T10'), { recursive: true });
    await writeFile(join(staging, 'late', '2026-11-22T10', 'server2.jsonl'), `${tweet(1, 'server2')}\n`);
    const result = await runHourly(deps, { hour: '2026-11-22T10', includeLate: true });
    assert.deepEqual(result.outcomes.map((o) => [o.kind, o.manifest.version, o.manifest.counts.total]), [['amended', 2, 2]]);
    assert.equal(xzcat(join(vault, '2026-11-22', '2026-11-22_10_IDs.txt.xz')).split('\n').length, 3);
    assert.deepEqual(await readdir(join(staging, 'late')), []);
    assert.ok((await readdir(join(staging, 'hours', '2026-11-22T10', 'server2')))[0]?.startsWith('late-'));
  });
});
