import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf, type FakeOsfOptions } from '../src/emulator/osf-server.js';
import { drainOutbox, enqueueUploads, queueForOsf, readOutboxStatus } from '../src/osf/index.js';
import { fixedClock } from '../src/platform/clock.js';
import type { Settings } from '../src/config/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { logSink, type LogSink } from './helpers/log-sink.js';
import { testSettings } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';

const TOKEN = 'osf-test-token-abcdef0123456789';
const DAY = '2026/11/22';
const IDS = `${DAY}/2026-11-22_06_IDs.txt.xz`;
const MINUTE = 60_000;

interface Rig {
  osf: FakeOsf;
  settings: Settings;
  clock: FakeClock;
  sink: LogSink;
  stateDir: string;
  /** Writes a vault file and queues it for `remotePath`. */
  queue(remotePath: string, content: string, fileName?: string): Promise<void>;
  drain(retryNow?: boolean): ReturnType<typeof drainOutbox>;
  requests(): Array<{ method: string; path: string; status: number }>;
}

const rigs: FakeOsf[] = [];
after(async () => {
  for (const osf of rigs) await osf.close();
});

async function rig(osfOptions: FakeOsfOptions = {}, tokenInFile = TOKEN, failAlertH = 6): Promise<Rig> {
  const osf = await startFakeOsf({ token: TOKEN, ...osfOptions });
  rigs.push(osf);
  const root = await tempDir();
  const tokenFile = join(root, 'osf_token');
  await writeFile(tokenFile, `${tokenInFile}\n`, { mode: 0o600 });
  const { settings } = await testSettings(root, {
    osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile, fail_alert_h: failAlertH },
  });
  const clock = new FakeClock('2026-11-22T07:10:00Z');
  const sink = logSink();
  const stateDir = settings.paths.state;
  const vaultDay = join(settings.paths.vault, '2026-11-22');
  await mkdir(vaultDay, { recursive: true });
  return {
    osf,
    settings,
    clock,
    sink,
    stateDir,
    async queue(remotePath, content, fileName = remotePath.split('/').at(-1)!) {
      const localPath = join(vaultDay, fileName);
      await writeFile(localPath, content);
      await enqueueUploads(stateDir, [{ localPath, remotePath }], clock.now());
    },
    drain: (retryNow = false) => drainOutbox({ settings, clock, log: sink.log, retryNow }),
    requests: () => osf.requestLog().map((r) => ({ ...r, path: r.path.replace(`/v1/resources/${osf.projectId}/providers/osfstorage`, '') })),
  };
}

async function osfPut(osf: FakeOsf, path: string): Promise<{ attributes: { path: string } }> {
  const response = await fetch(`${osf.url}/v1/resources/${osf.projectId}/providers/osfstorage${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: '',
  });
  return ((await response.json()) as { data: { attributes: { path: string } } }).data;
}

describe('drainOutbox() against the fake OSF', () => {
  it('creates the day folders, uploads a new file with 201 and caches the folder IDs', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids v1\n');
    const result = await r.drain();
    assert.deepEqual(result, { uploaded: [IDS], pending: 0, failed: 0, alerts: [] });
    assert.deepEqual(r.osf.files().get(`/${IDS}`)?.map((v) => v.bytes.toString()), ['ids v1\n']);
    assert.deepEqual(
      r.requests().map((q) => `${q.method} ${q.status} ${q.path.replace(/[0-9a-f]{24}/g, 'ID')}`),
      [
        'PUT 201 /?kind=folder&name=2026',
        'PUT 201 /ID/?kind=folder&name=11',
        'PUT 201 /ID/?kind=folder&name=22',
        'PUT 201 /ID/?kind=file&name=2026-11-22_06_IDs.txt.xz',
      ],
    );
    const cache = JSON.parse(await readFile(join(r.stateDir, 'osf-folders.json'), 'utf8')) as { folders: Record<string, string> };
    assert.deepEqual(Object.keys(cache.folders), ['2026', '2026/11', '2026/11/22']);
    assert.deepEqual(await readdir(join(r.stateDir, 'outbox')), []);
    assert.equal(r.sink.text().includes(TOKEN), false, 'the token never reaches the log');
  });

  it('uploads changed content as a new version (409 then 200) and identical content as no new version', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids v1\n');
    await r.drain();
    const before = r.requests().length;
    await r.queue(IDS, 'ids v2\n');
    assert.deepEqual((await r.drain()).uploaded, [IDS]);
    const second = r.requests().slice(before);
    assert.deepEqual(second.map((q) => `${q.method} ${q.status}`), ['PUT 409', 'PUT 200']);
    assert.match(second[1]!.path, /^\/[0-9a-f]{24}\?kind=file$/);
    await r.queue(IDS, 'ids v2\n');
    assert.deepEqual((await r.drain()).uploaded, [IDS]);
    assert.deepEqual(r.osf.files().get(`/${IDS}`)?.map((v) => v.bytes.toString()), ['ids v1\n', 'ids v2\n']);
    assert.equal(r.requests().some((q) => q.method === 'GET'), false, 'no folder is listed');
  });

  it('versions an existing name whose upload ends in a connection reset instead of 409, never creating it twice', async () => {
    const r = await rig({ resetOnExistingName: true });
    await r.queue(IDS, 'ids v1\n');
    await r.drain();
    const before = r.requests().length;
    await r.queue(IDS, 'ids v2\n');
    const result = await r.drain();
    assert.deepEqual({ uploaded: result.uploaded, failed: result.failed, pending: result.pending }, { uploaded: [IDS], failed: 0, pending: 0 });
    const dayFolder = JSON.parse(await readFile(join(r.stateDir, 'osf-folders.json'), 'utf8')) as { folders: Record<string, string> };
    const dayId = dayFolder.folders[DAY]!;
    assert.deepEqual(
      r.requests().slice(before).map((q) => `${q.method} ${q.status} ${q.path.replace(/[0-9a-f]{24}/g, (id) => (id === dayId ? 'DAY' : 'ID'))}`),
      ['PUT 0 /DAY/?kind=file&name=2026-11-22_06_IDs.txt.xz', 'GET 200 /DAY/', 'PUT 200 /ID?kind=file'],
    );
    assert.deepEqual(r.osf.files().get(`/${IDS}`)?.map((v) => v.bytes.toString()), ['ids v1\n', 'ids v2\n']);
    const listing = await fetch(`${r.osf.url}/v1/resources/${r.osf.projectId}/providers/osfstorage/${dayId}/`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const names = ((await listing.json()) as { data: Array<{ attributes: { name: string } }> }).data.map((e) => e.attributes.name);
    assert.deepEqual(names, ['2026-11-22_06_IDs.txt.xz'], 'one file of that name in the day folder');
    assert.ok(r.sink.lines().some((l) => l.msg === 'no answer from OSF to creating the file; looking for it in its folder'));
  });

  it('resolves an existing folder (409) by listing only its parent, once', async () => {
    const r = await rig();
    const year = await osfPut(r.osf, '/?kind=folder&name=2026');
    await osfPut(r.osf, `${year.attributes.path}?kind=folder&name=11`);
    await osfPut(r.osf, '/?kind=folder&name=other');
    const before = r.requests().length;
    await r.queue(IDS, 'ids\n');
    await r.queue(`${DAY}/2026-11-22_report.txt`, 'report\n');
    const result = await r.drain();
    assert.deepEqual(result.uploaded.sort(), [IDS, `${DAY}/2026-11-22_report.txt`].sort());
    const gets = r.requests().slice(before).filter((q) => q.method === 'GET').map((q) => q.path);
    assert.deepEqual(gets, ['/', year.attributes.path], 'only the parents of the conflicting folders are listed');
  });

  it('recovers within one drain from cached folder IDs that OSF no longer knows, listing only the path', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids\n');
    await r.drain();
    const cachePath = join(r.stateDir, 'osf-folders.json');
    const cache = JSON.parse(await readFile(cachePath, 'utf8')) as { folders: Record<string, string> };
    const real = { ...cache.folders };
    // As if the month folder (and the day folder in it) had been deleted: both cached IDs now answer 404.
    cache.folders['2026/11'] = 'dead00000000000000000011';
    cache.folders['2026/11/22'] = 'dead00000000000000000022';
    await writeFile(cachePath, JSON.stringify(cache));
    const before = r.requests().length;
    const report = `${DAY}/2026-11-22_report.txt`;
    await r.queue(report, 'report\n');
    const result = await r.drain();
    assert.deepEqual({ uploaded: result.uploaded, failed: result.failed }, { uploaded: [report], failed: 0 });
    assert.deepEqual(r.osf.files().get(`/${report}`)?.map((v) => v.bytes.toString()), ['report\n']);
    const gets = r.requests().slice(before).filter((q) => q.method === 'GET').map((q) => q.path);
    assert.deepEqual(gets, ['/', `/${real['2026']}/`, `/${real['2026/11']}/`], 'only the folders on the path are listed');
    const repaired = JSON.parse(await readFile(cachePath, 'utf8')) as { folders: Record<string, string> };
    assert.deepEqual(repaired.folders, real);
  });

  it('retries a 5xx through the outbox once the backoff is due', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids\n');
    r.osf.failNext(503);
    const first = await r.drain();
    assert.deepEqual({ uploaded: first.uploaded, pending: first.pending, failed: first.failed }, { uploaded: [], pending: 1, failed: 1 });
    const [entry] = (await readOutboxStatus(r.stateDir)).failing;
    assert.equal(entry?.attempts, 1);
    assert.equal(entry?.nextAttemptAt, new Date(r.clock.now() + MINUTE).toISOString());
    assert.match(entry?.lastError ?? '', /HTTP 503/);
    const requestsBefore = r.requests().length;
    assert.equal((await r.drain()).uploaded.length, 0);
    assert.equal(r.requests().length, requestsBefore, 'nothing is sent before the backoff is due');
    await r.clock.advance(MINUTE);
    assert.deepEqual((await r.drain()).uploaded, [IDS]);
    assert.equal((await readOutboxStatus(r.stateDir)).pending.length, 0);
  });

  it('detects a sha256 mismatch, logs it loudly and keeps the entry', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids\n');
    r.osf.corruptNextHash();
    const result = await r.drain();
    assert.equal(result.failed, 1);
    const status = await readOutboxStatus(r.stateDir);
    assert.match(status.failing[0]?.lastError ?? '', /sha256 mismatch/);
    const line = r.sink.lines().find((l) => l.msg === 'OSF sha256 mismatch after upload');
    assert.equal(line?.level, 50);
    assert.equal(line?.remotePath, IDS);
    await r.clock.advance(MINUTE);
    assert.deepEqual((await r.drain()).uploaded, [IDS]);
  });

  it('raises osf-auth on 401, keeps the entry and pauses uploads', async () => {
    const r = await rig({}, 'wrong-token-000000');
    await r.queue(IDS, 'ids\n');
    const result = await r.drain();
    assert.equal(result.pending, 1);
    assert.deepEqual(result.alerts.map((a) => a.condition), ['osf-auth']);
    const status = await readOutboxStatus(r.stateDir);
    assert.equal(status.lastAlert?.condition, 'osf-auth');
    assert.equal(status.failing[0]?.nextAttemptAt, new Date(r.clock.now() + 60 * MINUTE).toISOString());
    const count = r.requests().length;
    await r.queue(`${DAY}/2026-11-22_report.txt`, 'report\n');
    const paused = await r.drain();
    assert.equal(r.requests().length, count, 'no request while paused');
    assert.deepEqual(paused.alerts.map((a) => a.condition), ['osf-auth']);
    await r.drain(true);
    assert.equal(r.requests().length, count + 1, 'retryNow ignores the pause');
    assert.equal(r.sink.text().includes('wrong-token-000000'), false);
  });

  it('raises osf-quota on 507', async () => {
    const r = await rig({ quotaBytes: 10 });
    await r.queue(IDS, 'more than ten bytes\n');
    const result = await r.drain();
    assert.deepEqual(result.alerts.map((a) => a.condition), ['osf-quota']);
    assert.match(result.alerts[0]!.message, /quota/);
    assert.equal(result.pending, 1);
  });

  it('raises osf-failing when the oldest failure is older than osf.fail_alert_h', async () => {
    const r = await rig({}, TOKEN, 1);
    await r.queue(IDS, 'ids\n');
    r.osf.failNext(502, 100);
    await r.drain();
    await r.clock.advance(30 * MINUTE);
    assert.deepEqual((await r.drain()).alerts, []);
    await r.clock.advance(31 * MINUTE);
    const late = await r.drain();
    assert.deepEqual(late.alerts.map((a) => a.condition), ['osf-failing']);
    assert.match(late.alerts[0]!.message, /since 2026-11-22T07:10:00.000Z/);
  });

  it('replaces a pending entry when the same remote path is queued again (amendment)', async () => {
    const r = await rig();
    await r.queue(IDS, 'first\n', 'first.txt');
    await r.queue(IDS, 'amended\n', 'amended.txt');
    const status = await readOutboxStatus(r.stateDir);
    assert.equal(status.pending.length, 1);
    assert.match(status.pending[0]!.localPath, /amended\.txt$/);
    await r.drain();
    assert.deepEqual(r.osf.files().get(`/${IDS}`)?.map((v) => v.bytes.toString()), ['amended\n']);
  });

  it('keeps and sends in queue order the entries of a publish and an amendment queued in the same millisecond', async () => {
    const r = await rig();
    const sameMs = fixedClock(r.clock.now());
    const queue = queueForOsf(r.settings, sameMs)!;
    const vaultDay = join(r.settings.paths.vault, '2026-11-22');
    const publication = async (hour: string) => {
      const files = { ids: `2026-11-22_${hour}_IDs.txt.xz`, report: '2026-11-22_report.txt', sums: '2026-11-22_SHA256SUMS' };
      for (const name of Object.values(files)) await writeFile(join(vaultDay, name), `${name} after hour ${hour}\n`);
      const request = (name: string) => ({ localPath: join(vaultDay, name), remotePath: `${DAY}/${name}` });
      await queue({ ids: request(files.ids), report: request(files.report), sums: request(files.sums) });
    };
    await publication('03');
    await publication('02');
    const queued = (await readOutboxStatus(r.stateDir)).pending.map((e) => e.remotePath.split('/').at(-1));
    assert.deepEqual(queued, ['2026-11-22_03_IDs.txt.xz', '2026-11-22_02_IDs.txt.xz', '2026-11-22_report.txt', '2026-11-22_SHA256SUMS']);
    await r.drain();
    const sent = r.requests().filter((q) => q.path.includes('kind=file&name=')).map((q) => /name=(.*)$/.exec(q.path)![1]);
    assert.deepEqual(sent, queued);
    assert.deepEqual(r.osf.files().get(`/${DAY}/2026-11-22_SHA256SUMS`)?.map((v) => v.bytes.toString()), ['2026-11-22_SHA256SUMS after hour 02\n']);
  });

  it('refuses a remote path that is not a folder path plus a file name', async () => {
    const r = await rig();
    for (const remotePath of ['file.txt', '2026//x', '2026/../x', '2026/11/']) {
      await assert.rejects(enqueueUploads(r.stateDir, [{ localPath: '/tmp/x', remotePath }], r.clock.now()), RangeError);
    }
    assert.deepEqual(await readOutboxStatus(r.stateDir), { pending: [], failing: [], oldestFailureAt: null, lastAlert: null });
  });

  it('sends nothing while osf.enabled is false', async () => {
    const r = await rig();
    await r.queue(IDS, 'ids\n');
    const disabled = { ...r.settings, osf: { ...r.settings.osf, enabled: false } };
    const result = await drainOutbox({ settings: disabled, clock: r.clock, log: r.sink.log });
    assert.deepEqual(result, { uploaded: [], pending: 1, failed: 0, alerts: [] });
    assert.equal(r.requests().length, 0);
  });
});
