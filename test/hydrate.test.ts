import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { defaultFieldLists } from '../src/config/index.js';
import { startXEmulator, type XEmulator, type XEmulatorOptions } from '../src/emulator/index.js';
import { checkpointPathFor, hydrateIds, type HydrateOptions, type HydrateSummary } from '../src/hydrate/index.js';
import { TWEET_COLUMNS_ORIGINAL } from '../src/merge/index.js';
import { silentLogger } from '../src/platform/logger.js';
import { SECOND_MS } from '../src/platform/time.js';
import { openXClient, XApiError } from '../src/xapi/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/tmp.js';

const START = '2026-11-22T10:00:00Z';
const TOKEN = 'hydrate-test-token';
const FIELDS = defaultFieldLists();
const emulators: XEmulator[] = [];
after(() => Promise.all(emulators.map((e) => e.close())));

interface Setup {
  clock: FakeClock;
  emulator: XEmulator;
  dir: string;
  ids: string[];
  idsFile: string;
  options: HydrateOptions;
}

/** An emulator on a fake clock, 10 minutes of it gone by, and the IDs its stream sent in `seconds` of that as a .txt.xz. */
async function setup(emulatorOptions: XEmulatorOptions = {}, seconds = 10): Promise<Setup> {
  const clock = new FakeClock(START);
  const emulator = await startXEmulator({ clock, token: TOKEN, ...emulatorOptions });
  emulators.push(emulator);
  const dir = await tempDir();
  const ids = emulator.sampleIds(clock.now() - 10 * 60 * SECOND_MS, clock.now() - (10 * 60 - seconds) * SECOND_MS);
  const plain = join(dir, '2026-11-22_09_IDs.txt');
  await writeFile(plain, ids.map((id) => `${id}\n`).join(''));
  execFileSync('xz', [plain]);
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const idsFile = `${plain}.xz`;
  const options: HydrateOptions = {
    idFiles: [idsFile],
    outPath: join(dir, 'out.jsonl'),
    csvPath: join(dir, 'out.csv.xz'),
    baseUrl: emulator.url,
    tokenFile,
    tokenKey: '--token-file',
    fields: FIELDS,
  };
  return { clock, emulator, dir, ids, idsFile, options };
}

/** Runs `work` while moving the fake clock to each sleeper it (or the emulator) waits on; real I/O runs between. */
async function drive<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  while (!settled) {
    const pending = clock.pendingSleeps;
    if (pending.length > 0) await clock.advance(Math.max(0, Math.min(...pending)));
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return done;
}

function hydrate(s: Setup, options: Partial<HydrateOptions> = {}): Promise<HydrateSummary> {
  return drive(s.clock, hydrateIds({ ...s.options, ...options }, { clock: s.clock, log: silentLogger() }));
}

interface OutLine {
  data?: Array<{ id: string; author_id?: string }>;
  includes?: { users?: Array<{ id: string }> };
  errors?: Array<{ resource_id?: string; title: string; type: string }>;
  __meta: { retrieved_at: string };
}

async function outLines(path: string): Promise<OutLine[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as OutLine);
}

describe('hydrateIds() against the emulator', () => {
  it('hydrates a .txt.xz file: answers per 100 IDs, deleted IDs in missing.tsv, the 20-column CSV checked with xz', async () => {
    const s = await setup({ deletedEvery: 7 });
    const summary = await hydrate(s);
    const deleted = s.ids.filter((id) => BigInt(id) % 7n === 0n);
    assert.ok(s.ids.length > 400 && deleted.length > 20, `${s.ids.length} IDs, ${deleted.length} deleted`);
    assert.deepEqual(
      { requested: summary.requested, found: summary.found, missing: summary.missing, requests: summary.requests, waits: summary.rateLimitWaits },
      { requested: s.ids.length, found: s.ids.length - deleted.length, missing: deleted.length, requests: Math.ceil(s.ids.length / 100), waits: 0 },
    );
    assert.deepEqual(summary.missingByKind, { 'Not Found Error': deleted.length });

    const lines = await outLines(s.options.outPath);
    assert.equal(lines.length, Math.ceil(s.ids.length / 100));
    const found = lines.flatMap((line) => (line.data ?? []).map((tweet) => tweet.id));
    assert.deepEqual(found, s.ids.filter((id) => !deleted.includes(id)), 'every other ID, in input order');
    for (const line of lines) {
      assert.equal(line.__meta.retrieved_at, START.replace('Z', '.000Z'));
      const users = new Set(line.includes?.users?.map((user) => user.id));
      for (const tweet of line.data ?? []) assert.ok(users.has(tweet.author_id!), 'each author in includes.users');
      for (const error of line.errors ?? []) assert.equal(error.type, 'https://api.twitter.com/2/problems/resource-not-found');
    }
    const missingTsv = await readFile(join(s.dir, 'out.missing.tsv'), 'utf8');
    assert.equal(missingTsv, `id\treason\n${deleted.map((id) => `${id}\tNot Found Error\n`).join('')}`);

    execFileSync('xz', ['-t', s.options.csvPath!]);
    const rows = parse(execFileSync('xz', ['-dc', s.options.csvPath!]), { relax_column_count: false }) as string[][];
    assert.deepEqual(rows[0], [...TWEET_COLUMNS_ORIGINAL]);
    assert.equal(rows.length - 1, summary.found);
    assert.equal(summary.csvRows, summary.found);
    for (const row of rows.slice(1)) {
      assert.equal(row.length, 20);
      assert.match(row[3]!, /^2026-11-22T09:(49|50):\d\d\.000Z$/, 'created_at');
      assert.equal(row[4], START.replace('Z', '.000Z'), 'retrieved_at is when it was hydrated');
      assert.notEqual(row[13], '', 'author.username from includes.users');
    }
  });

  it('waits for a spent window on the injected clock instead of hammering, and for a 429 window opened elsewhere', async () => {
    const s = await setup({ lookupLimit: 3, windowS: 900 });
    const startMs = s.clock.now();
    const summary = await hydrate(s);
    assert.equal(summary.requests, Math.ceil(s.ids.length / 100));
    assert.equal(summary.rateLimitWaits, Math.floor((summary.requests - 1) / 3));
    assert.ok(s.clock.now() - startMs >= 900 * SECOND_MS, 'the fake clock moved past the reset');
    assert.equal(s.emulator.stats().connectionsRejected['429'], undefined, 'no request sent into a spent window');

    // Another client of the same token spends a fresh window first: the first lookup gets 429 with the reset.
    await s.clock.advance(900 * SECOND_MS);
    const client = await openXClient({ baseUrl: s.emulator.url, tokenFile: s.options.tokenFile });
    for (let i = 0; i < 3; i++) await client.lookupTweets([s.ids[i]!], {});
    client.close();
    const other = await hydrate(s, { outPath: join(s.dir, 'other.jsonl'), csvPath: null });
    assert.equal(s.emulator.stats().connectionsRejected['429'], 1);
    assert.equal(other.retries, 1);
    assert.equal(other.found, summary.found);
    assert.ok(other.rateLimitWaitMs >= 900 * SECOND_MS - 1);
  });

  it('retries 503s and a 429 without headers with backoff and ends with the same lines', async () => {
    const s = await setup();
    const clean = await hydrate(s, { outPath: join(s.dir, 'clean.jsonl'), csvPath: null });
    s.emulator.failNextLookups(503, 2);
    s.emulator.failNextLookups(429, 1);
    const startMs = s.clock.now();
    const summary = await hydrate(s, { csvPath: null });
    assert.equal(summary.retries, 3);
    assert.equal(summary.requests, clean.requests + 3);
    // 5 s and 10 s for the 503s, then the third attempt's 429 backoff (1 min doubled twice).
    assert.equal(s.clock.now() - startMs, (5 + 10 + 240) * SECOND_MS);
    const strip = (lines: OutLine[]) => lines.map(({ __meta: _meta, ...rest }) => rest);
    assert.deepEqual(strip(await outLines(s.options.outPath)), strip(await outLines(join(s.dir, 'clean.jsonl'))));
  });

  it('resumes from the checkpoint: a torn last line and an unrecorded batch are cut and done again', async () => {
    const s = await setup({ deletedEvery: 5 });
    const reference = await hydrate(s, { outPath: join(s.dir, 'reference.jsonl'), csvPath: join(s.dir, 'reference.csv') });
    const partial = await hydrate(s, { idFiles: [s.idsFile], csvPath: null });
    assert.equal(partial.found, reference.found);
    // Rewind the checkpoint to the first batch, as if the process died after writing batch two and part of three.
    const checkpointPath = checkpointPathFor(s.options.outPath);
    const checkpoint = JSON.parse(await readFile(checkpointPath, 'utf8'));
    const firstLine = (await readFile(s.options.outPath, 'utf8')).split('\n')[0]!;
    const firstMissing = (await outLines(s.options.outPath))[0]!.errors!.length;
    const missingPath = join(s.dir, 'out.missing.tsv');
    const missingHead = (await readFile(missingPath, 'utf8')).split('\n').slice(0, 1 + firstMissing).join('\n') + '\n';
    await writeFile(
      checkpointPath,
      JSON.stringify({
        ...checkpoint,
        ids_done: 100,
        out_bytes: Buffer.byteLength(firstLine) + 1,
        missing_bytes: Buffer.byteLength(missingHead),
        counts: { ...checkpoint.counts, requested: 100, found: 100 - firstMissing, missing: firstMissing, missing_by_kind: { 'Not Found Error': firstMissing }, requests: 1 },
      }),
    );
    await appendFile(s.options.outPath, '{"data":[{"id":"1');
    await appendFile(missingPath, '123\tNot Fo');
    const resumed = await hydrate(s, { csvPath: join(s.dir, 'resumed.csv') });
    assert.equal(resumed.resumedAt, 100);
    assert.deepEqual(
      { found: resumed.found, missing: resumed.missing, requested: resumed.requested },
      { found: reference.found, missing: reference.missing, requested: reference.requested },
    );
    assert.equal(await readFile(s.options.outPath, 'utf8'), await readFile(join(s.dir, 'reference.jsonl'), 'utf8'));
    assert.equal(await readFile(missingPath, 'utf8'), await readFile(join(s.dir, 'reference.missing.tsv'), 'utf8'));
    assert.equal(await readFile(join(s.dir, 'resumed.csv'), 'utf8'), await readFile(join(s.dir, 'reference.csv'), 'utf8'));
  });

  it('stops at the first 401 with the API words and loses nothing already written', async () => {
    const s = await setup();
    await writeFile(s.options.tokenFile, 'wrong-token\n', { mode: 0o600 });
    await assert.rejects(hydrate(s), (err: unknown) => err instanceof XApiError && err.kind === 'unauthorized' && /answered 401, Unauthorized/.test(err.message));
    assert.equal(s.emulator.stats().connectionsRejected['401'], 1, 'no retry of a refused token');
  });
});

describe('sampled-stream hydrate', () => {
  it('prints the summary, and exits 1 with the fix for a refused token and 2 for a bad IDs file, never showing the token', async () => {
    const s = await setup({ deletedEvery: 7 });
    const args = ['hydrate', s.idsFile, '--token-file', s.options.tokenFile, '--api-base-url', s.emulator.url];
    const ok = await runCli([...args, '--out', join(s.dir, 'cli.jsonl')]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, new RegExp(`^requested ${s.ids.length.toLocaleString('en-US')} IDs`, 'm'));
    assert.match(ok.out, /^missing +\d+ \(Not Found Error: \d+\)$/m);
    assert.match(ok.out, /^requests +\d+ \(minimum \d+, 0 retried\)$/m);

    await writeFile(s.options.tokenFile, 'wrong-token\n', { mode: 0o600 });
    const refused = await runCli([...args, '--out', join(s.dir, 'refused.jsonl')]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /hydrate stopped: GET http:\/\/127\.0\.0\.1:\d+\/2\/tweets: the API answered 401, Unauthorized: Unauthorized/);
    assert.match(refused.err, /fix: the bearer token was refused/);
    assert.doesNotMatch(refused.out + refused.err, /wrong-token|hydrate-test-token/);

    await writeFile(s.options.tokenFile, '', { mode: 0o600 });
    const empty = await runCli([...args, '--out', join(s.dir, 'empty.jsonl')]);
    assert.equal(empty.code, 1);
    assert.match(empty.err, /Cannot use '--token-file' \(.*token\): the file is empty/);

    const badFile = join(s.dir, 'bad.txt');
    await writeFile(badFile, '123\n1.5e18\n');
    const bad = await runCli(['hydrate', badFile, '--token-file', s.options.tokenFile, '--out', join(s.dir, 'bad.jsonl')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.txt:2: "1\.5e18" is not a tweet ID/);
    const noToken = await runCli(['hydrate', badFile, '--out', join(s.dir, 'x.jsonl')], {});
    assert.equal(noToken.code, 2);
    assert.match(noToken.err, /give --token-file FILE/);
  });
});
