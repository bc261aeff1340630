import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { runHourly } from '../src/hourly/index.js';
import type { PublishedFiles } from '../src/hourly/publish/publish-types.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson, writeSyncStateJson, type FakeTweet } from './helpers/spool-writer.js';

const xzcat = (path: string): string => execFileSync('xz', ['-dc', path], { encoding: 'utf8' });
const xzTest = (path: string): void => void execFileSync('xz', ['-t', path]);

const TWEETS_HEADER =
  'id,conversation_id,author_id,created_at,retrieved_at,source,lang,text,reference_type,referenced_tweet_id,' +
  'author.created_at,author.location,author.name,author.username,author.verified,author.protected,' +
  'author.public_metrics.followers_count,author.public_metrics.following_count,author.public_metrics.tweet_count,' +
  'author.public_metrics.listed_count\n';
const USERS_HEADER =
  'author_id,lang,author.created_at,author.location,author.name,author.username,author.verified,author.protected,' +
  'author.public_metrics.followers_count,author.public_metrics.following_count,author.public_metrics.tweet_count,' +
  'author.public_metrics.listed_count\n';

function tweet(createdAt: string, seq: number, extra: Partial<FakeTweet> = {}): FakeTweet {
  return { id: snowflakeId(Date.parse(createdAt), seq), createdAt, ...extra };
}

interface Copy {
  server: 'server1' | 'server2';
  tweet: FakeTweet;
  retrievedAt: string;
}

/** Writes copies into per-minute spool files (by retrieved_at) and returns server 2's file paths. */
async function writeCopies(spool: string, copies: readonly Copy[]): Promise<string[]> {
  const files = new Map<string, { server: string; minute: string; lines: string[] }>();
  for (const copy of copies) {
    const minute = copy.retrievedAt.slice(0, 16);
    const key = `${copy.server}/${minute}`;
    const entry = files.get(key) ?? { server: copy.server, minute: `${minute}:00Z`, lines: [] };
    entry.lines.push(tweetLine(copy.tweet, copy.retrievedAt, copy.server));
    files.set(key, entry);
  }
  const server2: string[] = [];
  for (const file of files.values()) {
    const path = await writeSpoolFile(spool, file.server, file.minute, file.lines);
    if (file.server === 'server2') server2.push(path);
  }
  return server2;
}

describe('hourly publish (end to end)', () => {
  it('runHourly() merges both servers: each ID once, in its created_at hour, columns from the earliest copy', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { first_hour: '2026-11-22T10' } });
    const { spool, state, vault, staging } = settings.paths;
    const a = tweet('2026-11-22T10:59:58.500Z', 1);
    const b = tweet('2026-11-22T10:10:00.000Z', 2);
    const c = tweet('2026-11-22T10:20:00.000Z', 3, { text: 'only on 1, with "quotes", commas\nand a newline and a lone \r return' });
    const d = tweet('2026-11-22T10:30:00.000Z', 4, { text: 'only on 2: NA' });
    const e = tweet('2026-11-22T11:00:00.100Z', 5);
    const f = tweet('2026-11-22T10:20:30.000Z', 6);
    const g1 = tweet('2026-11-22T10:40:00.000Z', 7, { authorId: '4242', user: { name: 'old name' } });
    const g2 = tweet('2026-11-22T10:41:00.000Z', 8, { authorId: '4242', user: { name: 'new name' } });
    const copies: Copy[] = [
      { server: 'server1', tweet: { ...a, user: { location: 'from server 1' } }, retrievedAt: '2026-11-22T11:00:01.000Z' },
      { server: 'server2', tweet: { ...a, user: { location: 'from server 2' } }, retrievedAt: '2026-11-22T10:59:59.900Z' },
      { server: 'server1', tweet: { ...b, user: { location: 'tie: server 1' } }, retrievedAt: '2026-11-22T10:10:01.000Z' },
      { server: 'server2', tweet: { ...b, user: { location: 'tie: server 2' } }, retrievedAt: '2026-11-22T10:10:01.000Z' },
      { server: 'server1', tweet: c, retrievedAt: '2026-11-22T10:20:01.000Z' },
      { server: 'server2', tweet: d, retrievedAt: '2026-11-22T10:30:01.000Z' },
      { server: 'server1', tweet: e, retrievedAt: '2026-11-22T11:00:01.500Z' },
      { server: 'server2', tweet: e, retrievedAt: '2026-11-22T11:00:01.600Z' },
      { server: 'server1', tweet: { ...f, user: { location: 'second' } }, retrievedAt: '2026-11-22T10:21:05.000Z' },
      { server: 'server1', tweet: { ...f, user: { location: 'first' } }, retrievedAt: '2026-11-22T10:20:31.000Z' },
      { server: 'server1', tweet: g1, retrievedAt: '2026-11-22T10:40:01.000Z' },
      { server: 'server1', tweet: g2, retrievedAt: '2026-11-22T10:41:01.000Z' },
      { server: 'server2', tweet: g2, retrievedAt: '2026-11-22T10:41:02.000Z' },
    ];
    const sent = await writeCopies(spool, copies);
    await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z', firstStartedAt: '2026-11-22T10:00:00.000Z' });
    await writeSyncStateJson(spool, '2026-11-22T11:06:00.000Z', sent);
    const published: PublishedFiles[] = [];
    const result = await runHourly({
      settings,
      clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')),
      log: silentLogger(),
      onPublished: async (files) => void published.push(files),
    });

    assert.equal(result.ingest?.files, 11);
    assert.equal(result.ingest?.unverified, 0);
    assert.deepEqual(result.outcomes.map((o) => [o.hour, o.kind, o.manifest.version]), [['2026-11-22T10', 'published', 1]]);
    assert.deepEqual(result.waiting, ['2026-11-22T11']);
    assert.deepEqual(await readdir(join(spool, 'server1', '2026-11-22', '10')), [], 'ingested spool files are deleted');

    const day = join(vault, '2026-11-22');
    for (const name of await readdir(day)) if (name.endsWith('.xz')) xzTest(join(day, name));
    const expectedIds = [a, b, c, d, f, g1, g2].map((t) => t.id).sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    assert.equal(xzcat(join(day, '2026-11-22_10_IDs.txt.xz')), expectedIds.map((id) => `${id}\n`).join(''));

    const tweetsCsv = xzcat(join(day, '2026-11-22_10_tweets.csv.xz'));
    assert.ok(tweetsCsv.startsWith(TWEETS_HEADER), 'exact tweets header');
    const rowOf = (id: string) => tweetsCsv.split('\n').find((row) => row.startsWith(`${id},`)) ?? '';
    assert.match(rowOf(a.id), /,2026-11-22T10:59:59\.900Z,.*from server 2/, 'earliest copy (server 2) wins');
    assert.match(rowOf(b.id), /tie: server 1/, 'a tie goes to server 1');
    assert.match(rowOf(f.id), /,first,/, 'reconnect duplicate: earliest copy');
    assert.ok(tweetsCsv.includes(`"only on 1, with ""quotes"", commas and a newline and a lone \r return"`));
    assert.match(rowOf(d.id), /,only on 2: NA,/);
    assert.equal(tweetsCsv.split('\n').filter((row) => /^\d+,/.test(row)).length, 7);

    const usersCsv = xzcat(join(day, '2026-11-22_10_users.csv.xz'));
    assert.ok(usersCsv.startsWith(USERS_HEADER), 'exact users header');
    const userLines = usersCsv.trimEnd().split('\n').slice(1);
    assert.equal(userLines.filter((row) => row.startsWith('4242,')).length, 1);
    assert.match(userLines.find((row) => row.startsWith('4242,')) ?? '', /,new name,/, 'users row from the largest ID');
    const authors = userLines.map((row) => BigInt(row.split(',')[0]!));
    assert.deepEqual(authors, [...authors].sort((x, y) => (x < y ? -1 : 1)), 'users sorted by author_id');

    const report = await readFile(join(day, '2026-11-22_report.txt'), 'utf8');
    const [header, line] = report.trimEnd().split('\n');
    assert.ok(header!.startsWith('hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %'));
    // serv1: a b c f g1 g2; serv2: a b d g2; only1: c f g1; only2: d
    assert.ok(line!.startsWith('10\t6\t4\t7\t4\t57.14%\t3\t1\t0\t'), line);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
    const sums = await readFile(join(day, '2026-11-22_SHA256SUMS'), 'utf8');
    assert.deepEqual(sums.trimEnd().split('\n').map((l) => l.split('  ')[1]), [
      '2026-11-22_10_IDs.txt.xz',
      '2026-11-22_10_tweets.csv.xz',
      '2026-11-22_10_users.csv.xz',
      '2026-11-22_report.txt',
    ]);

    assert.deepEqual(published, [
      {
        hour: '2026-11-22T10',
        label: '2026-11-22_10',
        version: 1,
        ids: { localPath: join(day, '2026-11-22_10_IDs.txt.xz'), remotePath: '2026/11/22/2026-11-22_10_IDs.txt.xz' },
        report: { localPath: join(day, '2026-11-22_report.txt'), remotePath: '2026/11/22/2026-11-22_report.txt' },
        sums: { localPath: join(day, '2026-11-22_SHA256SUMS'), remotePath: '2026/11/22/2026-11-22_SHA256SUMS' },
      },
    ]);
    const manifest = JSON.parse(await readFile(join(staging, 'manifests', '2026-11-22T10.json'), 'utf8'));
    assert.equal(manifest.counts.total, 7);
    assert.equal(manifest.closed_at, null);
  });

  it('runHourly() with archive_raw keeps every spool line of the hour (both servers, non-tweets by receipt time)', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { first_hour: '2026-11-22T10', archive_raw: true, xz_preset: 0 } });
    const { spool, state, vault } = settings.paths;
    const a = tweet('2026-11-22T10:05:00.000Z', 1);
    const lines1 = [tweetLine(a, '2026-11-22T10:05:01.000Z', 'server1'), '{"errors":[{"title":"operational-disconnect"}],"__meta":{"server":"server1"}}', 'not json'];
    const lines2 = [tweetLine(a, '2026-11-22T10:05:02.000Z', 'server2')];
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:05:00Z', lines1);
    const sent = [await writeSpoolFile(spool, 'server2', '2026-11-22T10:05:00Z', lines2)];
    await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z' });
    await writeSyncStateJson(spool, '2026-11-22T11:06:00.000Z', sent);
    await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() });
    const day = join(vault, '2026-11-22');
    const raw = join(day, '2026-11-22_10_raw.jsonl.xz');
    xzTest(raw);
    assert.deepEqual(xzcat(raw).trimEnd().split('\n').sort(), [...lines1, ...lines2].sort());
    assert.match(await readFile(join(day, '2026-11-22_SHA256SUMS'), 'utf8'), /  2026-11-22_10_raw\.jsonl\.xz\n/);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
  });
});
