import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf } from '../src/emulator/index.js';
import { crashPointFromEnv, ENOSPC_AT_ENV } from '../src/cli/test-crash-hooks.js';
import { runHourly } from '../src/hourly/index.js';
import { queueForOsf, queueSumsForOsf, readOutboxStatus } from '../src/osf/index.js';
import type { CrashPoint } from '../src/hourly/crash-point.js';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';
import { tempDir } from './helpers/tmp.js';

const DAY = '2026-11-22';
const SUMS = `${DAY}_SHA256SUMS`;
const RAW = [`${DAY}_10_raw.jsonl.xz`, `${DAY}_11_raw.jsonl.xz`];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file of the day folder (temporary dot-files aside) with its bytes. */
async function dayFiles(dayDir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dayDir)).filter((name) => !name.startsWith('.')).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(dayDir, name))] as const)));
}

/** The `retention pruned` lines a CLI run logged (JSON on stderr). */
function pruneLines(run: CliRun): Array<Record<string, unknown>> {
  return run.err
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => String(line.msg).startsWith('retention pruned'));
}

/**
 * Settings with the raw archive and OSF (the fake), hours 10 and 11 of 2026-11-22 holding tweets, and both
 * published by a run at 12:10; staging_retention_h 30, so the two hours close at 2026-11-23T18:10.
 */
async function publishedDay(retention: Record<string, unknown>): Promise<{ setup: TestSetup; osf: FakeOsf; hourly: (at: string) => Promise<CliRun> }> {
  const osf = await startFakeOsf({ token: 'osf-secret' });
  after(() => osf.close());
  const root = await tempDir();
  const tokenFile = join(root, 'osf_token');
  await writeFile(tokenFile, 'osf-secret', { mode: 0o600 });
  const setup = await testSettings(root, {
    hourly: { first_hour: `${DAY}T10`, expect_server2: false, archive_raw: true, xz_preset: 0, staging_retention_h: 30 },
    retention,
    osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile },
  });
  const { spool, state } = setup.settings.paths;
  for (const hour of ['10', '11']) {
    const lines = [1, 2, 3].map((seq) => {
      const createdAt = `${DAY}T${hour}:0${seq}:00.000Z`;
      return tweetLine({ id: snowflakeId(Date.parse(createdAt), seq), createdAt }, `${DAY}T${hour}:0${seq}:01.000Z`, 'server1');
    });
    await writeSpoolFile(spool, 'server1', `${DAY}T${hour}:03:00Z`, lines);
  }
  const hourly = async (at: string) => {
    await writeStreamJson(state, { watermark: at, firstStartedAt: `${DAY}T10:00:00.000Z` });
    return runCli(['hourly', '--config', setup.configPath, '--now', at], { SAMPLED_STREAM_ALLOW_ROOT: '1', LOG_LEVEL: 'info' });
  };
  const first = await hourly(`${DAY}T12:10:00.000Z`);
  assert.equal(first.code, 0, first.err);
  return { setup, osf, hourly };
}

describe('retention.raw_archive_days', () => {
  it('prunes the raw archive of closed hours a day after they end: SHA256SUMS loses their lines (also on OSF), all else stays', async () => {
    const { setup, osf, hourly } = await publishedDay({ raw_archive_days: 1 });
    const dayDir = join(setup.settings.paths.vault, DAY);

    // A day and more after the hours ended, but they are still open (amendable): their raw files stay.
    const open = await hourly('2026-11-23T13:00:00.000Z');
    assert.equal(open.code, 0, open.err);
    assert.deepEqual(pruneLines(open), []);
    const before = await dayFiles(dayDir);
    for (const name of RAW) assert.ok(before.has(name), `${name} kept while its hour can be amended`);
    const rawBytes = (await Promise.all(RAW.map((name) => stat(join(dayDir, name))))).reduce((sum, info) => sum + info.size, 0);

    // Both hours closed at 18:10.
    const pruned = await hourly('2026-11-23T18:20:00.000Z');
    assert.equal(pruned.code, 0, pruned.err);
    assert.deepEqual(
      pruneLines(pruned).map(({ folder, count, bytes, msg }) => ({ folder, count, bytes, msg })),
      [{ folder: 'vault', count: 2, bytes: rawBytes, msg: `retention pruned 2 entries (${rawBytes} bytes) from vault/` }],
    );
    const afterPrune = await dayFiles(dayDir);
    const expected = new Map([...before].filter(([name]) => !RAW.includes(name) && name !== SUMS));
    assert.deepEqual(new Map([...afterPrune].filter(([name]) => name !== SUMS)), expected, 'IDs, tweets, users files and the report unchanged');
    const sumsLines = (text: string) => text.split('\n').filter((line) => line !== '');
    assert.deepEqual(
      sumsLines(afterPrune.get(SUMS)!.toString()),
      sumsLines(before.get(SUMS)!.toString()).filter((line) => !RAW.some((name) => line.endsWith(`  ${name}`))),
      'the other lines byte for byte, in their order',
    );
    assert.deepEqual(sumsLines(afterPrune.get(SUMS)!.toString()).map((line) => line.slice(66)), [...expected.keys()], 'SHA256SUMS lists every remaining file');
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', SUMS], { cwd: dayDir });
    assert.equal(osf.files().get(`/2026/11/22/${SUMS}`)!.at(-1)!.sha256, sha256(afterPrune.get(SUMS)!));

    const verify = await runCli(['verify', '--config', setup.configPath]);
    assert.equal(verify.code, 0, verify.out + verify.err);
    assert.match(verify.out, /, 0 problems/);

    const later = await hourly('2026-11-23T19:10:00.000Z');
    assert.deepEqual(pruneLines(later), [], 'nothing left to prune');
  });

  it('a run failing between rewriting SHA256SUMS and deleting the files is completed by the next run', async () => {
    const { setup } = await publishedDay({ raw_archive_days: 1 });
    const { settings } = setup;
    const dayDir = join(settings.paths.vault, DAY);
    // Wired as the hourly command wires it, with the test hook failing the run at that step.
    const run = async (at: string, crashPoint?: CrashPoint) => {
      const clock = fixedClock(Date.parse(at));
      await writeStreamJson(settings.paths.state, { watermark: at, firstStartedAt: `${DAY}T10:00:00.000Z` });
      const hooks = { onPublished: queueForOsf(settings, clock), onSumsRewritten: queueSumsForOsf(settings, clock) };
      return runHourly({ settings, clock, log: silentLogger(), ...hooks, crashPoint });
    };
    const crashPoint = crashPointFromEnv({ [ENOSPC_AT_ENV]: 'prune-raw-before-delete' });
    await assert.rejects(run('2026-11-23T18:20:00.000Z', crashPoint), /injected at prune-raw-before-delete/);
    const halfway = await dayFiles(dayDir);
    for (const name of RAW) assert.ok(halfway.has(name), `${name} not yet deleted`);
    assert.doesNotMatch(halfway.get(SUMS)!.toString(), /_1[01]_raw\.jsonl\.xz/, 'SHA256SUMS rewritten first');
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', SUMS], { cwd: dayDir });
    const queued = (await readOutboxStatus(settings.paths.state)).pending.map((entry) => entry.remotePath);
    assert.ok(queued.includes(`2026/11/22/${SUMS}`), 'the rewritten SHA256SUMS is queued before the files go');

    await run('2026-11-23T18:25:00.000Z');
    const converged = await dayFiles(dayDir);
    assert.deepEqual(converged, new Map([...halfway].filter(([name]) => !RAW.includes(name))), 'the raw files gone, all else as it was');
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', SUMS], { cwd: dayDir });
  });

  it('keeps the raw archive for ever by default', async () => {
    const { setup, hourly } = await publishedDay({});
    const dayDir = join(setup.settings.paths.vault, DAY);
    const run = await hourly('2026-11-24T12:10:00.000Z');
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(pruneLines(run), []);
    const files = await dayFiles(dayDir);
    for (const name of RAW) assert.match(files.get(SUMS)!.toString(), new RegExp(`  ${name}\n`));
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', SUMS], { cwd: dayDir });
  });
});
