import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf, type FakeOsfOptions } from '../src/emulator/index.js';
import { parseHourKey } from '../src/contracts/index.js';
import { downloadHours, DownloadError, silentProgress, type DownloadSummary } from '../src/download/index.js';
import { systemClock } from '../src/platform/clock.js';
import { FakeClock } from './helpers/fake-clock.js';
import { runCli } from './helpers/run-cli.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';
import { tempDir } from './helpers/tmp.js';

const TOKEN = 'osf-secret-token-42';
// UTC 22:00..00:00 are labelled 23, 00 and 01 in Berlin (UTC+1 in November): two label days.
const FROM = '2026-11-22T22';
const TO = '2026-11-23T00';
const ZONE = 'Europe/Berlin';
const DAY1 = '2026-11-22';
const DAY2 = '2026-11-23';
const IDS = {
  h23: `${DAY1}_23_IDs.txt.xz`,
  h00: `${DAY2}_00_IDs.txt.xz`,
  h01: `${DAY2}_01_IDs.txt.xz`,
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** An xz IDs file (with real xz) of `count` tweets created in UTC hour `hour`, as an amendment would publish. */
function xzIds(hour: string, count: number): Buffer {
  const ids = Array.from({ length: count }, (_, seq) => `${snowflakeId(Date.parse(`${hour}:30:00.000Z`), seq)}\n`).join('');
  return spawnSync('xz', ['-c'], { input: ids }).stdout;
}

// Made at the top level: a temporary folder made in a before() hook is removed when that hook ends.
const publisherRoot = await tempDir();

/** Publishes UTC hours 22, 23 and 00 with the real pipeline (`hourly` with OSF enabled) into `osf`. */
async function publishWithPipeline(osf: FakeOsf): Promise<TestSetup> {
  const root = publisherRoot;
  const tokenFile = join(root, 'osf_token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const setup = await testSettings(root, {
    hourly: { first_hour: '2026-11-22T22', expect_server2: false, output_timezone: ZONE, xz_preset: 0 },
    osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile },
  });
  const { spool, state } = setup.settings.paths;
  for (const [hour, count] of [['2026-11-22T22', 3], ['2026-11-22T23', 5], ['2026-11-23T00', 2]] as const) {
    const lines = Array.from({ length: count }, (_, seq) => {
      const createdAt = `${hour}:0${seq}:00.000Z`;
      return tweetLine({ id: snowflakeId(Date.parse(createdAt), seq), createdAt }, `${hour}:0${seq}:01.000Z`, 'server1');
    });
    await writeSpoolFile(spool, 'server1', `${hour}:0${count}:00Z`, lines);
  }
  await writeStreamJson(state, { watermark: '2026-11-23T01:10:00.000Z', firstStartedAt: '2026-11-22T22:00:00.000Z' });
  const run = await runCli(['hourly', '--config', setup.configPath, '--now', '2026-11-23T01:10:00Z']);
  assert.equal(run.code, 0, run.err);
  assert.equal(osf.files().size, 7, [...osf.files().keys()].join(', '));
  return setup;
}

/** A second fake OSF holding the latest version of every file of `source` (tests that change OSF get their own). */
async function copyOf(source: FakeOsf, options: FakeOsfOptions = {}): Promise<FakeOsf> {
  const copy = await startFakeOsf({ token: TOKEN, ...options });
  after(() => copy.close());
  for (const [path, versions] of source.files()) await copy.storeFile(path, versions.at(-1)!.bytes);
  return copy;
}

function downloadArgs(osf: FakeOsf, out: string, ...extra: string[]): string[] {
  return ['download', '--from', FROM, '--to', TO, '--out', out, '--osf-project', osf.projectId, '--osf-base-url', osf.url, '--timezone', ZONE, ...extra];
}

function sha256sumCheck(dir: string, sumsName: string): { status: number | null; out: string } {
  const result = spawnSync('sha256sum', ['-c', '--ignore-missing', sumsName], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, out: result.stdout + result.stderr };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function leftovers(out: string): Promise<string[]> {
  const names: string[] = [];
  for (const day of [DAY1, DAY2]) names.push(...(await readdir(join(out, day)).catch(() => [])).filter((name) => name.startsWith('.')));
  return names;
}

function signedGets(osf: FakeOsf): number {
  return osf.requestLog().filter((entry) => entry.path.startsWith('/signed/')).length;
}

/** Runs `downloadHours` on a fake clock, letting each retry wait pass at once; returns the summary and the waits. */
async function downloadOnFakeClock(osf: FakeOsf, out: string): Promise<{ summary: DownloadSummary; waits: number[] }> {
  const clock = new FakeClock('2026-11-23T12:00:00Z');
  const options = { fromMs: parseHourKey(FROM), toMs: parseHourKey(TO), outDir: out, baseUrl: osf.url, projectId: osf.projectId, token: null, timeZone: ZONE };
  let settled = false;
  const running = downloadHours(options, { clock }).finally(() => (settled = true));
  const waits: number[] = [];
  while (!settled) {
    const [wait] = clock.pendingSleeps;
    if (wait === undefined) await sleep(2);
    else {
      waits.push(wait);
      await clock.advance(wait);
    }
  }
  return { summary: await running, waits };
}

describe('sampled-stream download', () => {
  let published: FakeOsf;
  let vault: string;
  let setup: TestSetup;
  before(async () => {
    published = await startFakeOsf({ token: TOKEN, publicRead: true });
    setup = await publishWithPipeline(published);
    vault = setup.settings.paths.vault;
  });
  after(() => published.close());

  it('downloads a public project without a token, verified: sha256sum -c passes in every day folder', async () => {
    const out = join(await tempDir(), 'ids');
    const run = await runCli(downloadArgs(published, out));
    assert.equal(run.code, 0, run.err + run.out);
    assert.match(run.out, /3 hours 2026-11-22T22\.\.2026-11-23T00 UTC \(labels in Europe\/Berlin\).*3 downloaded, 0 unchanged, 0 replaced, 0 missing, 0 failed/);
    assert.match(run.err, /2026-11-22\/2026-11-22_23_IDs\.txt\.xz: downloaded \(OSF version 1\)/);
    assert.deepEqual((await readdir(join(out, DAY1))).sort(), [`${DAY1}_SHA256SUMS`, IDS.h23, `${DAY1}_report.txt`].sort());
    assert.deepEqual((await readdir(join(out, DAY2))).sort(), [`${DAY2}_SHA256SUMS`, IDS.h00, IDS.h01, `${DAY2}_report.txt`].sort());
    for (const [day, name] of [[DAY1, IDS.h23], [DAY2, IDS.h00], [DAY2, IDS.h01], [DAY2, `${DAY2}_report.txt`]]) {
      assert.deepEqual(await readFile(join(out, day!, name!)), await readFile(join(vault, day!, name!)), name);
    }
    const day2 = sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`);
    assert.equal(day2.status, 0, day2.out);
    assert.match(day2.out, new RegExp(`${IDS.h00}: OK\\n`));
    assert.match(day2.out, new RegExp(`${IDS.h01}: OK\\n`));
    assert.equal(sha256sumCheck(join(out, DAY1), `${DAY1}_SHA256SUMS`).status, 0);
    // The day's SHA256SUMS also lists the tweets and users files, which are not on OSF.
    assert.match(await readFile(join(out, DAY2, `${DAY2}_SHA256SUMS`), 'utf8'), /_tweets\.csv\.xz/);
    assert.deepEqual(await leftovers(out), []);

    const again = await runCli(downloadArgs(published, out));
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 downloaded, 3 unchanged, 0 replaced/);
  });

  it('runs as a library function and returns the summary', async () => {
    const out = await tempDir();
    const summary = await downloadHours(
      { fromMs: parseHourKey(FROM), toMs: parseHourKey(TO), outDir: out, baseUrl: published.url, projectId: published.projectId, token: null, timeZone: ZONE },
      { clock: systemClock },
    );
    assert.equal(summary.ok, true);
    assert.deepEqual(
      summary.files.map((file) => [file.name, file.status, file.hourKey]),
      [
        [`${DAY1}_SHA256SUMS`, 'downloaded', null],
        [`${DAY1}_report.txt`, 'downloaded', null],
        [IDS.h23, 'downloaded', '2026-11-22T22'],
        [`${DAY2}_SHA256SUMS`, 'downloaded', null],
        [`${DAY2}_report.txt`, 'downloaded', null],
        [IDS.h00, 'downloaded', '2026-11-22T23'],
        [IDS.h01, 'downloaded', '2026-11-23T00'],
      ],
    );
    assert.equal(summary.bytesDownloaded, summary.files.reduce((sum, file) => sum + file.bytes, 0));
  });

  it('needs the token for a private project, takes it from --osf-token-file or the settings, and checks its mode', async () => {
    const privateOsf = await copyOf(published);
    const out = await tempDir();
    const anonymous = await runCli(downloadArgs(privateOsf, out));
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.err, /HTTP 401.*--osf-token-file/);

    const tokenFile = join(await tempDir(), 'token');
    await writeFile(tokenFile, TOKEN, { mode: 0o644 });
    const loose = await runCli(downloadArgs(privateOsf, out, '--osf-token-file', tokenFile));
    assert.equal(loose.code, 2);
    assert.match(loose.err, /--osf-token-file.*chmod 600/);

    await chmod(tokenFile, 0o600);
    const withToken = await runCli(downloadArgs(privateOsf, out, '--osf-token-file', tokenFile));
    assert.equal(withToken.code, 0, withToken.err);
    assert.match(withToken.out, /3 downloaded/);

    // The publisher's settings give project, base URL, token and label zone.
    const fromSettings = await runCli(['download', '--from', FROM, '--to', TO, '--out', await tempDir(), '--config', setup.configPath]);
    assert.equal(fromSettings.code, 0, fromSettings.err);
    assert.match(fromSettings.out, /labels in Europe\/Berlin.*3 downloaded/);
  });

  it('removes a partial temporary file left by a killed run and downloads that file again', async () => {
    const out = await tempDir();
    assert.equal((await runCli(downloadArgs(published, out))).code, 0);
    const full = await readFile(join(out, DAY2, IDS.h00));
    await rm(join(out, DAY2, IDS.h00));
    const partial = join(out, DAY2, `.${IDS.h00}.999999.0badf00d.tmp`);
    await writeFile(partial, full.subarray(0, full.length >> 1));
    const run = await runCli(downloadArgs(published, out));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /1 downloaded, 2 unchanged/);
    assert.deepEqual(await readFile(join(out, DAY2, IDS.h00)), full);
    assert.deepEqual(await leftovers(out), []);
  });

  it('resumes after kill -9: files already verified are kept, the rest downloaded', async () => {
    const slow = await copyOf(published, { publicRead: true, delayMs: 150 });
    const out = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...downloadArgs(slow, out)], {
      env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while (!(await exists(join(out, DAY1, IDS.h23)))) await sleep(20);
    child.kill('SIGKILL');
    await exited;
    assert.equal(await exists(join(out, '.sampled-stream-download.lock')), true, 'the killed run left its lock');
    const run = await runCli(downloadArgs(slow, out));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /unchanged/);
    assert.match(run.err, new RegExp(`${IDS.h23}: unchanged`));
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
    assert.deepEqual(await leftovers(out), []);
  });

  it('retries a corrupted download once, and keeps the file when the retry is good', async () => {
    const osf = await copyOf(published, { publicRead: true });
    osf.corruptDownloads(IDS.h00, 1);
    const out = await tempDir();
    const run = await runCli(downloadArgs(osf, out));
    assert.equal(run.code, 0, run.err);
    assert.equal(signedGets(osf), 7 + 1);
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
  });

  it('reports a file that stays corrupted by name, exits 1, and leaves nothing under its name', async () => {
    const osf = await copyOf(published, { publicRead: true });
    osf.corruptDownloads(IDS.h00, Infinity);
    const out = await tempDir();
    const run = await runCli(downloadArgs(osf, out));
    assert.equal(run.code, 1);
    assert.match(run.out, new RegExp(`FAILED ${DAY2}/${IDS.h00}: the downloaded bytes have sha256 [0-9a-f]{64}, expected [0-9a-f]{64} \\(also after a retry\\)`));
    assert.match(run.out, /2 downloaded, 0 unchanged, 0 replaced, 0 missing, 1 failed/);
    assert.equal(await exists(join(out, DAY2, IDS.h00)), false);
    assert.equal(signedGets(osf), 7 + 1);
    assert.deepEqual(await leftovers(out), []);
    // Everything that did arrive checks out.
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
  });

  it('replaces an amended hour with its new OSF version and says which hour changed', async () => {
    const osf = await copyOf(published, { publicRead: true });
    const out = await tempDir();
    assert.equal((await runCli(downloadArgs(osf, out))).code, 0);
    const amended = xzIds('2026-11-22T23', 7);
    const sumsPath = `/2026/11/23/${DAY2}_SHA256SUMS`;
    const sums = osf.files().get(sumsPath)!.at(-1)!.bytes.toString('utf8');
    const newSums = sums.replace(/^[0-9a-f]{64}(?=  2026-11-23_00_IDs)/m, sha256(amended));
    assert.notEqual(newSums, sums);
    await osf.storeFile(`/2026/11/23/${IDS.h00}`, amended);
    await osf.storeFile(sumsPath, Buffer.from(newSums));

    const run = await runCli(downloadArgs(osf, out));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /0 downloaded, 2 unchanged, 1 replaced/);
    assert.match(run.out, /changed on OSF, local copy replaced: 2026-11-23_00 \(2026-11-22T23 UTC\), now OSF version 2/);
    assert.deepEqual(await readFile(join(out, DAY2, IDS.h00)), amended);
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
  });

  it('stays consistent when an amendment is published in the middle of the download', async () => {
    const osf = await copyOf(published, { publicRead: true });
    const out = await tempDir();
    const amendedIds = xzIds('2026-11-22T23', 9);
    const amendedReport = Buffer.from('hour\tserv 1\n00\t99\n');
    const sumsPath = `/2026/11/23/${DAY2}_SHA256SUMS`;
    const newSums = osf
      .files()
      .get(sumsPath)!
      .at(-1)!
      .bytes.toString('utf8')
      .replace(/^[0-9a-f]{64}(?=  2026-11-23_00_IDs)/m, sha256(amendedIds))
      .replace(/^[0-9a-f]{64}(?=  2026-11-23_report)/m, sha256(amendedReport));
    // The publisher uploads the amended hour, then SHA256SUMS and the report, right after we took the report.
    const progress = {
      ...silentProgress,
      fileDone(result: { name: string }) {
        if (result.name !== `${DAY2}_report.txt` || osf.files().get(`/2026/11/23/${IDS.h00}`)!.length > 1) return;
        void osf.storeFile(`/2026/11/23/${IDS.h00}`, amendedIds);
        void osf.storeFile(sumsPath, Buffer.from(newSums));
        void osf.storeFile(`/2026/11/23/${DAY2}_report.txt`, amendedReport);
      },
    };
    const options = { fromMs: parseHourKey(FROM), toMs: parseHourKey(TO), outDir: out, baseUrl: osf.url, projectId: osf.projectId, token: null, timeZone: ZONE };
    const summary = await downloadHours(options, { clock: systemClock, progress });
    assert.equal(summary.ok, true, JSON.stringify(summary.files));
    assert.deepEqual(
      summary.files.filter((file) => file.day === DAY2).map((file) => [file.name, file.status, file.version]),
      [
        [`${DAY2}_SHA256SUMS`, 'downloaded', 2],
        [`${DAY2}_report.txt`, 'downloaded', 2],
        [IDS.h00, 'downloaded', 2],
        [IDS.h01, 'downloaded', 1],
      ],
    );
    assert.deepEqual(await readFile(join(out, DAY2, IDS.h00)), amendedIds);
    assert.deepEqual(await readFile(join(out, DAY2, `${DAY2}_report.txt`)), amendedReport);
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
  });

  it('keeps the local copy when OSF and SHA256SUMS disagree, and names the file', async () => {
    const osf = await copyOf(published, { publicRead: true });
    const out = await tempDir();
    assert.equal((await runCli(downloadArgs(osf, out))).code, 0);
    const before = await readFile(join(out, DAY2, IDS.h01));
    await osf.storeFile(`/2026/11/23/${IDS.h01}`, Buffer.from('a version SHA256SUMS does not know\n'));
    const run = await runCli(downloadArgs(osf, out));
    assert.equal(run.code, 1);
    assert.match(run.out, new RegExp(`FAILED ${DAY2}/${IDS.h01}: OSF lists sha256 [0-9a-f]{64} but ${DAY2}_SHA256SUMS lists [0-9a-f]{64} \\(also after a retry\\)`));
    assert.deepEqual(await readFile(join(out, DAY2, IDS.h01)), before);
  });

  it('retries OSF errors and a dropped connection with backoff on the injected clock', async () => {
    const osf = await copyOf(published, { publicRead: true });
    osf.failNext(503, 2);
    osf.dropDownloads(IDS.h01, 1);
    const out = await tempDir();
    const { summary, waits } = await downloadOnFakeClock(osf, out);
    assert.equal(summary.ok, true, JSON.stringify(summary.files));
    assert.deepEqual(waits, [2_000, 4_000, 2_000]);
    assert.equal(sha256sumCheck(join(out, DAY2), `${DAY2}_SHA256SUMS`).status, 0);
    assert.deepEqual(await leftovers(out), []);
  });

  it('gives a file up after three dropped connections and keeps nothing under its name', async () => {
    const osf = await copyOf(published, { publicRead: true });
    osf.dropDownloads(IDS.h01, Infinity);
    const out = await tempDir();
    const { summary, waits } = await downloadOnFakeClock(osf, out);
    assert.deepEqual(waits, [2_000, 4_000, 8_000]);
    const failed = summary.files.filter((file) => file.status === 'failed');
    assert.deepEqual(failed.map((file) => file.name), [IDS.h01]);
    assert.match(failed[0]!.reason ?? '', /^no answer from OSF \(.+\) \(after 3 retries\)$/);
    assert.equal(await exists(join(out, DAY2, IDS.h01)), false);
    assert.deepEqual(await leftovers(out), []);
  });

  it('stops with the fix when the project does not exist', async () => {
    const out = await tempDir();
    const options = { fromMs: parseHourKey(FROM), toMs: parseHourKey(TO), outDir: out, baseUrl: published.url, projectId: 'zzz99', token: null, timeZone: ZONE };
    await assert.rejects(downloadHours(options, { clock: systemClock }), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.match(err.message, /HTTP 404: is "zzz99" the project's ID \(osf\.io\/<ID>\/\)\?/);
      return true;
    });
  });

  it('notices from the IDs themselves when the labels are in another zone than assumed', async () => {
    const out = await tempDir();
    // The project labels in Berlin time; without --timezone UTC is assumed, so each file is an hour off.
    const run = await runCli(['download', '--from', '2026-11-22T23', '--to', '2026-11-23T00', '--out', out, '--osf-project', published.projectId, '--osf-base-url', published.url]);
    assert.equal(run.code, 1);
    assert.match(run.out, /labels in UTC\) .*2 downloaded/);
    assert.match(
      run.out,
      /WRONG HOURS: 2026-11-22_23_IDs\.txt\.xz holds tweets of 2026-11-22T22 UTC, not of 2026-11-22T23 UTC: the project's labels are in a zone 1 hour ahead of UTC; pass --timezone/,
    );
  });

  it('reports hours not on OSF and exits 1', async () => {
    const out = await tempDir();
    const run = await runCli(['download', '--from', '2026-11-23T00', '--to', '2026-11-23T02', '--out', out, '--osf-project', published.projectId, '--osf-base-url', published.url, '--timezone', ZONE]);
    assert.equal(run.code, 1);
    assert.match(run.out, /1 downloaded, 0 unchanged, 0 replaced, 2 missing, 0 failed/);
    assert.match(run.out, /not on OSF: 2026-11-23_02 \(2026-11-23T01 UTC\): not in OSF folder \/2026\/11\/23\//);
    assert.match(run.out, /not on OSF: 2026-11-23_03 \(2026-11-23T02 UTC\)/);
    assert.equal((await stat(join(out, DAY2, IDS.h01))).isFile(), true);
  });

  it('refuses bad options with exit 2 and the fix', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['download', '--out', '/tmp/x', '--osf-project', 'abc12'], /--from is required/],
      [['download', '--from', FROM, '--osf-project', 'abc12'], /--out is required/],
      [['download', '--from', '2026-11-22 22', '--out', '/tmp/x', '--osf-project', 'abc12'], /--from.*YYYY-MM-DDTHH/],
      [['download', '--from', TO, '--to', FROM, '--out', '/tmp/x', '--osf-project', 'abc12'], /--to .* is before --from/],
      [['download', '--from', FROM, '--out', '/tmp/x'], /--osf-project is required/],
      [['download', '--from', FROM, '--out', '/tmp/x', '--osf-project', 'abc12', '--timezone', 'Asia/Kolkata'], /whole-hour UTC offsets/],
    ];
    for (const [argv, message] of cases) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.err, message);
    }
  });
});
