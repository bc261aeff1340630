import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readLocalSyncState, readSyncState, scanSpool } from '../src/contracts/index.js';
import { syncBacklogObservation } from '../src/notify/conditions.js';
import { systemClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { runSync } from '../src/sync/index.js';
import { runCli } from './helpers/run-cli.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { fillToEnospc, mountSmallTmpfs } from './helpers/small-fs.js';
import { sftpSyncSettings, startSshd, writeSpoolFile, writeStreamJson, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
// tmpfs hands out space in pages.
const PAGE = 4096;
const pages = (bytes: number) => Math.ceil(bytes / PAGE) * PAGE;

/** Fills server 1's filesystem, then frees exactly `freeBytes` (a multiple of PAGE) of the filler. */
async function leaveFree(server1: string, freeBytes: number): Promise<string> {
  const filler = join(server1, 'filler');
  await fillToEnospc(filler);
  await truncate(filler, (await stat(filler)).size - freeBytes);
  return filler;
}

/** Server 1's view of server 2's files, as hourly's ingest reads it. */
async function server1Spool(server1: string): Promise<{ closed: string[]; pending: string[]; foreign: string[] }> {
  const scan = await scanSpool(server1, ['server2']);
  return {
    closed: scan.files.map((file) => file.relativePath),
    pending: scan.pending.map((file) => file.relativePath),
    foreign: scan.foreign.map((file) => file.relativePath),
  };
}

/** Relative paths of every file under `root`, dot names included. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
}

// Server 1's spool (so its server2/ folder) is a small real filesystem, reached over a real sshd.
describe('sync into a full server 1', () => {
  let sshd: TestSshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(() => sshd?.stop());

  async function server2(server1: string): Promise<TestSetup> {
    const setup = await testSettings(await tempDir(), { server: 'server2', sync: sftpSyncSettings(sshd, server1) });
    await writeStreamJson(setup.settings.paths.state, '2026-11-22T07:00:00.000Z');
    return setup;
  }

  async function spoolFiles(setup: TestSetup, minutes: string[]): Promise<Map<string, Buffer>> {
    const originals = new Map<string, Buffer>();
    for (const minute of minutes) {
      const rel = await writeSpoolFile(setup.settings.paths.spool, minute, 1000);
      originals.set(rel, await readFile(join(setup.settings.paths.spool, rel)));
    }
    return originals;
  }

  it('stops with one line naming the folder and "no space left", keeps every file, and finishes once space returns', async () => {
    const server1 = await mountSmallTmpfs(4);
    const setup = await server2(server1);
    const { spool, state } = setup.settings.paths;
    const originals = await spoolFiles(setup, ['2026-11-22T06:00:00Z', '2026-11-22T06:01:00Z', '2026-11-22T06:02:00Z', '2026-11-22T06:03:00Z']);
    const rels = [...originals.keys()];
    const size = originals.get(rels[0]!)!.length;
    // Room for two and a half files: the third upload runs out part way.
    const filler = await leaveFree(server1, pages(2.5 * size));

    const failed = await runCli(['sync', '--config', setup.configPath]);
    assert.equal(failed.code, 1);
    const lines = failed.err.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
    assert.equal(lines.length, 1, `one line, no stack: ${failed.err}`);
    const folder = `sftp://${sshd.username}@127.0.0.1:${sshd.port}${server1}/server2/2026-11-22/06`;
    assert.ok(lines[0]!.startsWith('sampled-stream sync failed: Cannot deliver '), lines[0]);
    assert.ok(lines[0]!.includes(`no space left on server 1: ${folder} has `), lines[0]);

    // Server 1: only whole files, oldest first, under their names; no partial or temporary file at all.
    const landed = await server1Spool(server1);
    assert.deepEqual(landed.pending, [], 'no temporary upload is left');
    assert.deepEqual(landed.foreign, []);
    assert.ok(landed.closed.length >= 1 && landed.closed.length < rels.length, `some fit, one did not: ${landed.closed}`);
    assert.deepEqual(landed.closed, rels.slice(0, landed.closed.length));
    for (const rel of landed.closed) assert.ok((await readFile(join(server1, rel))).equals(originals.get(rel)!), `${rel} intact`);
    assert.equal(await readSyncState(server1), null, 'no state is pushed before every file it covers');
    // Server 2: a file went to sent/ only after its verified rename; the rest wait in the spool, unchanged.
    assert.deepEqual(await filesUnder(join(state, 'sent')), landed.closed);
    assert.deepEqual(await filesUnder(join(spool)), rels.slice(landed.closed.length));
    for (const rel of rels.slice(landed.closed.length)) assert.ok((await readFile(join(spool, rel))).equals(originals.get(rel)!));
    // Recorded for watch: the sync-backlog alert carries the reason.
    const local = await readLocalSyncState(state);
    assert.equal(local?.last_run?.ok, false);
    assert.match(local?.last_run?.error ?? '', /no space left on server 1: .*\/server2\/2026-11-22\/06 has \d+ bytes free, \d+ needed/);
    assert.equal(local?.backlog.files, rels.length - landed.closed.length);
    const alert = syncBacklogObservation(local, null, Date.now(), setup.settings.email.sync_backlog_alert_min);
    assert.equal(alert.open, true);
    assert.match(alert.detail, /last run failed: .*no space left on server 1/);

    await rm(filler);
    const done = await runCli(['sync', '--config', setup.configPath]);
    assert.equal(done.code, 0, done.err);
    assert.deepEqual(await server1Spool(server1), { closed: rels, pending: [], foreign: [] }, 'every file once, nothing else');
    const pushed = await readSyncState(server1);
    for (const [rel, original] of originals) {
      assert.ok((await readFile(join(server1, rel))).equals(original), `${rel} byte-identical`);
      assert.equal(pushed?.sent[rel], sha256(original), `${rel} verifiable by hourly`);
    }
    assert.deepEqual(await filesUnder(join(state, 'sent')), rels);
    assert.deepEqual(await filesUnder(spool), []);
    assert.equal((await readLocalSyncState(state))?.last_run?.ok, true);
  });

  it('reuses a partial upload a killed run left behind: replaced in place, its space counted', async () => {
    const server1 = await mountSmallTmpfs(2);
    const setup = await server2(server1);
    const originals = await spoolFiles(setup, ['2026-11-22T06:10:00Z']);
    const [[rel, original]] = [...originals];
    // A kill -9 mid-upload leaves `.<name>.tmp`, half written; hourly never reads a dot name.
    const hourDir = join(server1, 'server2/2026-11-22/06');
    const tmp = join(hourDir, `.${rel!.split('/').pop()}.tmp`);
    await mkdir(hourDir, { recursive: true });
    await writeFile(tmp, original!.subarray(0, original!.length / 2));
    assert.deepEqual((await server1Spool(server1)).closed, []);
    // The file fits only into the space of its own partial copy (plus two pages for sync-state.json).
    await leaveFree(server1, pages(original!.length) - pages(original!.length / 2) + 2 * PAGE);

    const result = await runSync({ settings: setup.settings, clock: systemClock, log: silentLogger() });
    assert.equal(result.sent, 1);
    assert.deepEqual(await readdir(hourDir), [rel!.split('/').pop()]);
    assert.ok((await readFile(join(server1, rel!))).equals(original!));
  });

  it('a disk that fills exactly at the end of a file: the file is renamed and kept, the old state stays whole', async () => {
    const server1 = await mountSmallTmpfs(2);
    const setup = await server2(server1);
    const { spool, state } = setup.settings.paths;
    const sync = () => runSync({ settings: setup.settings, clock: systemClock, log: silentLogger() });
    const [[first, firstData]] = [...(await spoolFiles(setup, ['2026-11-22T06:19:00Z']))];
    await sync();
    const stateBefore = await readFile(join(server1, 'server2/.state/sync-state.json'));
    const [[rel, original]] = [...(await spoolFiles(setup, ['2026-11-22T06:20:00Z']))];
    const filler = await leaveFree(server1, pages(original!.length));

    await assert.rejects(sync(), (err: Error) => {
      assert.match(err.message, /^Cannot deliver sync-state\.json: no space left on server 1: .*\/server2\/\.state has 0 bytes free/);
      return true;
    });
    // The upload fit to the last byte, passed its size check and was renamed: it is in place and in sent/.
    assert.deepEqual(await server1Spool(server1), { closed: [first, rel], pending: [], foreign: [] });
    assert.ok((await readFile(join(server1, rel!))).equals(original!));
    assert.deepEqual(await filesUnder(join(state, 'sent')), [first, rel]);
    assert.deepEqual(await filesUnder(spool), []);
    // The state that could not be written left no temporary file and did not replace the last good one.
    assert.deepEqual(await filesUnder(join(server1, 'server2/.state')), ['sync-state.json']);
    assert.ok((await readFile(join(server1, 'server2/.state/sync-state.json'))).equals(stateBefore));
    assert.match((await readLocalSyncState(state))?.last_run?.error ?? '', /no space left on server 1/);

    await rm(filler);
    const result = await sync();
    assert.equal(result.sent, 0);
    const pushed = await readSyncState(server1);
    assert.equal(pushed?.sent[first!], sha256(firstData!));
    assert.equal(pushed?.sent[rel!], sha256(original!), 'hourly can verify it now');
    assert.deepEqual(await server1Spool(server1), { closed: [first, rel], pending: [], foreign: [] });
  });

  it('says the same over transport local, and leaves no partial copy', async () => {
    const server1 = await mountSmallTmpfs(1);
    const setup = await testSettings(await tempDir(), { server: 'server2', sync: { transport: 'local', local_target: server1 } });
    const [[rel, original]] = [...(await spoolFiles(setup, ['2026-11-22T06:30:00Z']))];
    const filler = await leaveFree(server1, pages(original!.length / 2));
    const sync = () => runSync({ settings: setup.settings, clock: systemClock, log: silentLogger() });
    await assert.rejects(sync(), new RegExp(`no space left on server 1: ${server1}/server2/2026-11-22/06 has \\d+ bytes free`));
    assert.deepEqual(await server1Spool(server1), { closed: [], pending: [], foreign: [] });
    await rm(filler);
    assert.equal((await sync()).sent, 1);
    assert.ok((await readFile(join(server1, rel!))).equals(original!));
  });
});
