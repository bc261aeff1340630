import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { fixedClock } from '../../platform/clock.js';
import { createLogger, silentLogger } from '../../platform/logger.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { testSettings } from '../../../test/helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeSyncStateJson } from '../../../test/helpers/spool-writer.js';
import { listChunks, loadCopyIndex } from '../staging/copy-index.js';
import { readIngestAlerts } from '../../contracts/ingest-alerts.js';
import { ingestSpool, isAwaitingSyncState, SYNC_STATE_WAIT_MS } from './ingest.js';
import { MAX_LINE_BYTES, OVERLONG_HEAD_BYTES } from './line-splitter.js';
import { minutesPath, rejectedLinesPath, skewedTweetsPath } from '../../contracts/staging-layout.js';
import { writeManifest } from '../../contracts/hour-manifest.js';

const NOW = fixedClock(Date.parse('2026-11-22T12:00:00Z'));
const tweetAt = (createdAt: string, seq: number, server = 'server1', retrievedAt = createdAt) =>
  tweetLine({ id: snowflakeId(Date.parse(createdAt), seq), createdAt }, retrievedAt, server);

async function setup(overrides: Record<string, Record<string, unknown>> = {}) {
  const root = await tempDir();
  const { settings } = await testSettings(root, overrides);
  return { settings, deps: { settings, clock: NOW, log: silentLogger() } };
}

describe('isAwaitingSyncState()', () => {
  const file = 1_000_000;
  const cases: Array<[string, number | null, number, boolean]> = [
    ['no sync state yet, file just arrived', null, file + 1000, true],
    ['state older than the file, file just arrived', file - 1, file + 1000, true],
    ['state newer than the file: it would list it', file + 1, file + 1000, false],
    ['state older, but the file waited the whole bound', file - 1, file + SYNC_STATE_WAIT_MS, false],
  ];
  for (const [name, state, now, expected] of cases) {
    it(`isAwaitingSyncState() is ${expected}: ${name}`, () => assert.equal(isAwaitingSyncState(file, state, now), expected));
  }
});

describe('ingestSpool()', () => {
  it('ingestSpool() quarantines tweets created far before or after their receipt, alerts with the count and stages only the others', async () => {
    const { settings, deps } = await setup();
    const { spool, state } = settings.paths;
    const received = '2026-11-22T10:00:30.000Z';
    const skewed = [
      tweetAt('2010-11-06T12:00:00.000Z', 1, 'server1', received),
      tweetAt('2026-11-23T10:00:00.000Z', 2, 'server1', received),
      tweetLine({ id: '1234567890', createdAt: '+275760-09-13T00:00:00.000Z' }, received, 'server1'),
    ];
    const good = tweetAt('2026-11-22T09:58:00.000Z', 3, 'server1', received);
    const file = await writeSpoolFile(spool, 'server1', '2026-11-22T10:00:00Z', [skewed[0]!, good, skewed[1]!, skewed[2]!]);
    const result = await ingestSpool(deps);
    assert.deepEqual({ tweets: result.tweets, skewed: result.skewed, hours: [...result.stagedHours] }, { tweets: 1, skewed: 3, hours: ['2026-11-22T09'] });
    assert.equal(await readFile(skewedTweetsPath(state, file), 'utf8'), skewed.map((line) => `${line}\n`).join(''));
    const alerts = (await readIngestAlerts(state)).events.filter((event) => event.kind === 'skewed-created-at');
    assert.deepEqual(alerts.map((event) => [event.hour, event.lines]), [['2026-11-22T10', 3]]);
  });

  it('ingestSpool() keeps the bytes of a binary file, a long non-JSON line and a truncated last line, alerts once per hour, and does not duplicate them on a re-run', async () => {
    const { settings, deps } = await setup();
    const { spool, state } = settings.paths;
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a, 0xc3, 0x28]);
    const binaryFile = await writeSpoolFile(spool, 'server1', '2026-11-22T10:00:00Z', []);
    await writeFile(join(spool, binaryFile), binary);
    const longLine = 'x'.repeat(3 << 20);
    const truncated = tweetAt('2026-11-22T10:01:00.000Z', 1).slice(0, 40);
    const textFile = await writeSpoolFile(spool, 'server1', '2026-11-22T10:01:00Z', [tweetAt('2026-11-22T10:01:00.000Z', 2), longLine]);
    await writeFile(join(spool, textFile), `${(await readFile(join(spool, textFile), 'utf8'))}${truncated}`);

    const result = await ingestSpool(deps);
    assert.deepEqual({ rejected: result.rejected, malformed: result.malformed, tweets: result.tweets }, { rejected: 4, malformed: 4, tweets: 1 });
    const records = async (file: string) =>
      (await readFile(rejectedLinesPath(state, file), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const binaryRecords = await records(binaryFile);
    assert.deepEqual(
      binaryRecords.map((record) => [record.line, record.reason, Buffer.from(String(record.raw_base64), 'base64')]),
      [
        [1, 'not a JSON object', binary.subarray(0, 4)],
        [2, 'not a JSON object', binary.subarray(5)],
      ],
    );
    const textRecords = await records(textFile);
    assert.deepEqual(
      textRecords.map((record) => [record.file, record.line, record.length, record.raw]),
      [
        [textFile, 2, longLine.length, longLine],
        [textFile, 3, truncated.length, truncated],
      ],
    );
    const alerts = (await readIngestAlerts(state)).events.filter((event) => event.kind === 'rejected-lines');
    assert.deepEqual(alerts.map((event) => [event.hour, event.server, event.lines]), [['2026-11-22T10', 'server1', 4]]);

    // A crash after the rejected lines were kept but before the spool files were deleted: the re-run rewrites them.
    await writeFile(join(spool, binaryFile), binary);
    await ingestSpool(deps);
    assert.equal((await records(binaryFile)).length, 2);
  });

  it('ingestSpool() rejects a line over 64 MB by its length and first bytes, and stages the tweets around it', async () => {
    const { settings, deps } = await setup();
    const { spool, state } = settings.paths;
    const file = await writeSpoolFile(spool, 'server1', '2026-11-22T10:02:00Z', []);
    const before = tweetAt('2026-11-22T10:02:00.000Z', 1);
    const after = tweetAt('2026-11-22T10:02:01.000Z', 2);
    const overlong = Buffer.alloc(MAX_LINE_BYTES + 1, 'y');
    await writeFile(join(spool, file), Buffer.concat([Buffer.from(`${before}\n`), overlong, Buffer.from(`\n${after}\n`)]));
    const result = await ingestSpool(deps);
    assert.deepEqual({ tweets: result.tweets, malformed: result.malformed, rejected: result.rejected }, { tweets: 2, malformed: 1, rejected: 1 });
    const [record] = (await readFile(rejectedLinesPath(state, file), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual([record?.line, record?.reason, record?.length], [2, 'line longer than 64 MB', MAX_LINE_BYTES + 1]);
    assert.equal(String(record?.raw).length, OVERLONG_HEAD_BYTES, 'only its first bytes are kept');
  });

  it('ingestSpool() routes tweets by created_at hour, counts bad lines, records minutes and deletes the spool file', async () => {
    const { settings, deps } = await setup();
    const { spool, staging } = settings.paths;
    const lines = [
      tweetAt('2026-11-22T09:59:59.000Z', 1, 'server1', '2026-11-22T10:00:01.000Z'),
      tweetAt('2026-11-22T10:00:00.500Z', 2, 'server1', '2026-11-22T10:00:01.000Z'),
      '{"data":{"id":"12","text":"no created_at"}}',
      '{"errors":[{"title":"operational-disconnect"}]}',
      'not json {',
      '[1,2]',
      '',
    ];
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:00:00Z', lines);
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:01:00Z', []);
    await writeFile(join(spool, 'server1', '2026-11-22', '10', '2026-11-22T10-01Z.jsonl.part'), 'open minute\n');
    await writeFile(join(spool, 'server1', '2026-11-22', '10', '.hidden.tmp'), 'sync temp\n');
    const result = await ingestSpool(deps);
    assert.deepEqual(
      { files: result.files, lines: result.lines, tweets: result.tweets, malformed: result.malformed, invalid: result.invalid, nonTweet: result.nonTweet },
      { files: 2, lines: 7, tweets: 2, malformed: 2, invalid: 1, nonTweet: 1 },
    );
    assert.deepEqual([...result.stagedHours].sort(), ['2026-11-22T09', '2026-11-22T10']);
    const chunks = await listChunks(staging, '2026-11-22T09');
    assert.deepEqual(chunks.map((c) => c.key), ['server1/2026-11-22T10-00Z.jsonl']);
    assert.equal(await readFile(chunks[0]!.dataPath, 'utf8'), `${lines[0]}\n`, 'a chunk holds the lines verbatim');
    const index = await loadCopyIndex(chunks);
    assert.equal(index.retrieved[0], Date.parse('2026-11-22T10:00:01.000Z'));
    assert.deepEqual(JSON.parse(await readFile(minutesPath(staging, '2026-11-22T10'), 'utf8')).server1, [0, 1], 'an empty file is a received minute');
    assert.deepEqual((await readdir(join(spool, 'server1', '2026-11-22', '10'))).sort(), ['.hidden.tmp', '2026-11-22T10-01Z.jsonl.part']);
  });

  it('ingestSpool() quarantines foreign files and records an alert', async () => {
    const { settings, deps } = await setup();
    const { spool, state } = settings.paths;
    await mkdir(join(spool, 'server2', '2026-11-22', '10'), { recursive: true });
    await writeFile(join(spool, 'server2', '2026-11-22', '10', 'notes.txt'), 'hello');
    const result = await ingestSpool(deps);
    assert.equal(result.quarantined, 1);
    assert.equal(await readFile(join(state, 'quarantine', 'server2', '2026-11-22', '10', 'notes.txt'), 'utf8'), 'hello');
    const alerts = await readIngestAlerts(state);
    assert.deepEqual(alerts.events.map((e) => [e.kind, e.server]), [['foreign-file', 'server2']]);
  });

  it('ingestSpool() moves nothing outside the server folders nor inside state, staging or vault: it reports each once', async () => {
    const { settings } = await setup();
    const { spool, state } = settings.paths;
    // Overlapping settings that loading would refuse, built by hand: the vault inside a server folder.
    const vault = join(spool, 'server1', 'vault');
    const overlapping = { ...settings, paths: { ...settings.paths, vault } };
    const published = join(vault, '2026-11-22', '2026-11-22_10_tweets.csv.xz');
    const beside = join(spool, 'vault', '2026-11-22_10_tweets.csv.xz');
    for (const path of [published, beside]) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, 'published');
    }
    for (let run = 0; run < 2; run++) {
      const result = await ingestSpool({ settings: overlapping, clock: NOW, log: silentLogger() });
      assert.equal(result.quarantined, 0);
    }
    assert.equal(await readFile(published, 'utf8'), 'published');
    assert.equal(await readFile(beside, 'utf8'), 'published');
    const events = (await readIngestAlerts(state)).events;
    assert.deepEqual(events.map((e) => [e.kind, e.path]).sort(), [
      ['outside-server-folder', join(spool, 'server1', 'vault', '2026-11-22', '2026-11-22_10_tweets.csv.xz')],
      ['outside-server-folder', join(spool, 'vault')],
    ]);
  });

  it('ingestSpool() alerts once for an open minute or dot file left over an hour, and leaves both in place', async () => {
    const { settings } = await setup();
    const { spool, state } = settings.paths;
    const hour = join(spool, 'server1', '2026-11-22', '10');
    await mkdir(hour, { recursive: true });
    await writeFile(join(hour, '2026-11-22T10-01Z.jsonl.part'), 'open minute\n');
    await writeFile(join(hour, '.2026-11-22T10-02Z.jsonl.tmp'), 'cut upload\n');
    await mkdir(join(spool, 'server2', '.state'), { recursive: true });
    await writeFile(join(spool, 'server2', '.state', 'notes'), 'not looked at');
    const changedMs = Date.now();
    const at = (ms: number) => ({ settings, clock: fixedClock(ms), log: silentLogger() });
    await ingestSpool(at(changedMs + 30 * 60_000));
    assert.deepEqual((await readIngestAlerts(state)).events, [], 'not yet: a writer may still be at work');
    await ingestSpool(at(changedMs + 2 * 3_600_000));
    await ingestSpool(at(changedMs + 3 * 3_600_000));
    const events = (await readIngestAlerts(state)).events;
    assert.deepEqual(events.map((e) => [e.kind, e.path]).sort(), [
      ['lingering-file', join(hour, '.2026-11-22T10-02Z.jsonl.tmp')],
      ['lingering-file', join(hour, '2026-11-22T10-01Z.jsonl.part')],
    ]);
    assert.match(events[0]!.detail, /unchanged since .*: its writer is gone/);
    assert.deepEqual((await readdir(hour)).sort(), ['.2026-11-22T10-02Z.jsonl.tmp', '2026-11-22T10-01Z.jsonl.part']);
  });

  it('ingestSpool() verifies server 2 files against sync-state: a mismatch is quarantined and staged nowhere', async () => {
    const { settings, deps } = await setup();
    const { spool, state, staging } = settings.paths;
    const good = await writeSpoolFile(spool, 'server2', '2026-11-22T10:05:00Z', [tweetAt('2026-11-22T10:05:00.000Z', 1, 'server2')]);
    const bad = await writeSpoolFile(spool, 'server2', '2026-11-22T10:06:00Z', [tweetAt('2026-11-22T10:06:00.000Z', 2, 'server2')]);
    await writeSyncStateJson(spool, '2026-11-22T10:07:00.000Z', [good, bad]);
    await writeFile(join(spool, bad), 'corrupted in transit\n');
    const result = await ingestSpool(deps);
    assert.deepEqual({ files: result.files, shaMismatches: result.shaMismatches, unverified: result.unverified }, { files: 1, shaMismatches: 1, unverified: 0 });
    assert.deepEqual((await listChunks(staging, '2026-11-22T10')).map((c) => c.name), ['2026-11-22T10-05Z.jsonl']);
    assert.equal(await readFile(join(state, 'quarantine', bad), 'utf8'), 'corrupted in transit\n');
    const [alert] = (await readIngestAlerts(state)).events;
    assert.equal(alert?.kind, 'sha256-mismatch');
    assert.match(alert?.detail ?? '', /sync --resend 2026-11-22T10-06/);
  });

  it('ingestSpool() leaves a fresh unlisted server 2 file for the run after its sync state', async () => {
    const { settings } = await setup();
    const { spool } = settings.paths;
    await writeSyncStateJson(spool, '2026-11-22T10:00:00.000Z', []);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeSpoolFile(spool, 'server2', '2026-11-22T10:05:00Z', [tweetAt('2026-11-22T10:05:00.000Z', 1, 'server2')]);
    const result = await ingestSpool({ settings, clock: NOW, log: silentLogger() });
    assert.deepEqual({ files: result.files, deferred: result.deferred }, { files: 0, deferred: 1 });
  });

  it('ingestSpool() sends tweets of a closed hour to late/, once, however often the file is ingested', async () => {
    // The tweet is 49 h old at receipt: inside a widened window, so it is a late arrival, not a skewed one.
    const { settings, deps } = await setup({ hourly: { keep_spool_h: 1, max_created_skew_h: 72 } });
    const { spool, staging, state } = settings.paths;
    const file = { name: 'x', sha256: '0'.repeat(64), bytes: 1 };
    await writeManifest(staging, {
      format_version: 1,
      hour: '2026-11-20T10',
      label: '2026-11-20_10',
      version: 1,
      first_published_at: '2026-11-20T11:06:00.000Z',
      published_at: '2026-11-20T11:06:00.000Z',
      counts: { serv1: 1, serv2: 1, total: 1, only1: 0, only2: 0, diff: 0, late: 0 },
      ids_digest: '1'.repeat(64),
      files: { ids: file, tweets: file, users: file },
      first_chunks: [],
      chunks: [],
      closed_at: '2026-11-22T10:00:00.000Z',
    });
    // Received on time by a server whose file reached server 1 two days later (a long sync outage).
    const old = tweetAt('2026-11-20T10:30:00.000Z', 1, 'server1', '2026-11-20T10:30:01.000Z');
    await writeSpoolFile(spool, 'server1', '2026-11-22T11:30:00Z', [old]);
    const first = await ingestSpool(deps);
    assert.equal(first.lateLines, 1);
    // The same file again (as after a crash before its deletion).
    await writeSpoolFile(spool, 'server1', '2026-11-22T11:30:00Z', [old]);
    const second = await ingestSpool(deps);
    assert.equal(second.lateLines, 0);
    assert.equal(await readFile(join(staging, 'late', '2026-11-20T10', 'server1.jsonl'), 'utf8'), `${old}\n`);
    assert.deepEqual((await readIngestAlerts(state)).events.map((e) => [e.kind, e.hour, e.lines]), [['late-arrival', '2026-11-20T10', 1]]);
    assert.deepEqual((await readdir(join(staging, 'ingested', 'server1', '2026-11-22', '11'))).sort(), ['2026-11-22T11-30Z.jsonl', '2026-11-22T11-30Z.jsonl~1']);
    // keep_spool_h = 1: an hour and a half later the kept files are pruned, and the prune is logged.
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } });
    await ingestSpool({ settings, clock: fixedClock(Date.parse('2026-11-22T13:00:00Z')), log: createLogger({ level: 'info', destination }) });
    assert.deepEqual(await readdir(join(staging, 'ingested')), []);
    const pruned = lines.map((line) => JSON.parse(line)).find((entry) => entry.folder === 'ingested');
    assert.equal(pruned?.count, 2);
    assert.ok(pruned.bytes > 0);
    assert.match(pruned.msg, /^retention pruned 2 entries \(\d+ bytes\) from ingested\/$/);
  });

  it('ingestSpool() retires a backlog in batches and records every received minute', async () => {
    const { settings, deps } = await setup();
    const { spool, staging } = settings.paths;
    const start = Date.parse('2026-11-22T08:00:00Z');
    for (let minute = 0; minute < 130; minute++) {
      const createdAt = new Date(start + minute * 60_000).toISOString();
      await writeSpoolFile(spool, 'server1', createdAt, [tweetAt(createdAt, minute)]);
    }
    const result = await ingestSpool(deps);
    assert.equal(result.files, 130);
    assert.deepEqual([...result.stagedHours].sort(), ['2026-11-22T08', '2026-11-22T09', '2026-11-22T10']);
    const minutesOf = async (hour: string) => JSON.parse(await readFile(minutesPath(staging, hour), 'utf8')).server1.length;
    const minutes = await Promise.all(['2026-11-22T08', '2026-11-22T09', '2026-11-22T10'].map(minutesOf));
    assert.deepEqual(minutes, [60, 60, 10]);
    // Emptied folders of hours that ended two hours ago or more are removed.
    assert.deepEqual(await readdir(join(spool, 'server1', '2026-11-22')), ['10']);
    assert.deepEqual(await readdir(join(spool, 'server1', '2026-11-22', '10')), []);
  });
});
