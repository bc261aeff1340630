import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { acquireLock } from '../src/platform/lock-file.js';
import { crashPointFromEnv, ENOSPC_AT_ENV } from '../src/cli/test-crash-hooks.js';
import { readIngestAlerts, readManifest, syncStatePath } from '../src/contracts/index.js';
import { runHourly } from '../src/hourly/index.js';
import type { Settings } from '../src/config/index.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson, writeSyncStateJson } from './helpers/spool-writer.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const xzcat = (path: string): string => execFileSync('xz', ['-dc', path], { encoding: 'utf8', maxBuffer: 1 << 26 });

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'hourly', ...args], {
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes `count` tweets of hour 10 with incompressible text into one server 1 spool file per call. */
async function writeTweets(settings: Settings, minute: number, count: number, seed: number): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const createdMs = Date.parse('2026-11-22T10:00:00Z') + minute * 60_000 + i;
    const createdAt = new Date(createdMs).toISOString();
    const text = Array.from({ length: 12 }, (_, k) => ((seed * 7919 + i * 104729 + k * 15485863) % 2 ** 31).toString(36)).join(' ');
    lines.push(tweetLine({ id: snowflakeId(createdMs, i), createdAt, text }, createdAt, 'server1'));
  }
  await writeSpoolFile(settings.paths.spool, 'server1', Date.parse('2026-11-22T10:00:00Z') + minute * 60_000, lines);
}

function tryMountTmpfs(dir: string, size: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

describe('hourly robustness (DESIGN 3, 6)', () => {
  it('runHourly() fails cleanly on a full disk: the previous files stay, no partial file is visible, the next run succeeds', async () => {
    const root = await tempDir();
    const vault = join(root, 'small-vault');
    await mkdir(vault);
    // Room for the first publication (hourly's space guard wants 2x staging + 16 MB), shrunk after it.
    const mounted = tryMountTmpfs(vault, '24m');
    try {
      const { settings } = await testSettings(root, {
        paths: { vault },
        hourly: { expect_server2: false, xz_preset: 0, amend_interval_min: 0 },
      });
      await writeTweets(settings, 1, 5, 1);
      await writeStreamJson(settings.paths.state, { watermark: '2026-11-22T11:06:00.000Z' });
      const deps = { settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() };
      await runHourly(deps);
      const day = join(vault, '2026-11-22');
      const before = xzcat(join(day, '2026-11-22_10_tweets.csv.xz'));
      if (mounted) execFileSync('mount', ['-o', 'remount,size=96k', vault]);
      // Enough new tweets that the amendment's tweets file does not fit (or, without tmpfs, an injected ENOSPC).
      await writeTweets(settings, 2, mounted ? 3000 : 5, 2);
      const crashPoint = mounted ? undefined : crashPointFromEnv({ [ENOSPC_AT_ENV]: 'publish-writing' });
      // The space guard would skip this amendment; seeing room, it lets the write itself run out of space.
      const freeSpaceProbe = async () => Number.MAX_SAFE_INTEGER;
      const later = { ...deps, clock: fixedClock(Date.parse('2026-11-22T11:20:00Z')), crashPoint, freeSpaceProbe };
      await assert.rejects(runHourly(later), (err: NodeJS.ErrnoException) => err.code === 'ENOSPC' && mounted !== err.message.includes('injected'));
      assert.equal(xzcat(join(day, '2026-11-22_10_tweets.csv.xz')), before, 'the published file is intact');
      assert.deepEqual((await readdir(day)).filter((n) => n.startsWith('.')), [], 'no temporary file left');
      execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
      assert.equal((await readManifest(settings.paths.staging, '2026-11-22T10'))?.version, 1);
      if (mounted) execFileSync('mount', ['-o', 'remount,size=24m', vault]);
      const retry = await runHourly({ ...deps, clock: fixedClock(Date.parse('2026-11-22T11:30:00Z')) });
      assert.deepEqual(retry.outcomes.map((o) => [o.kind, o.manifest.version]), [['amended', 2]]);
    } finally {
      if (mounted) execFileSync('umount', [vault]);
    }
  });

  it('runHourly() and the hourly command leave the work to a run that holds the lock', async () => {
    const root = await tempDir();
    const { settings, configPath } = await testSettings(root);
    const lock = await acquireLock(join(settings.paths.state, 'hourly.lock'));
    try {
      const result = await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() });
      assert.equal(result.skipped, true);
      const run = cli(['--config', configPath]);
      assert.equal(run.status, 0);
      assert.match(run.stderr, /another hourly run is active/);
    } finally {
      await lock.release();
    }
  });

  it('the hourly command takes over a lock whose pid now belongs to another process, and records an alert (issue 15.2)', async (t) => {
    const root = await tempDir();
    const { settings, configPath } = await testSettings(root);
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    t.after(() => other.kill());
    const boot = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    const lockPath = join(settings.paths.state, 'hourly.lock');
    await mkdir(settings.paths.state, { recursive: true });
    await writeFile(lockPath, JSON.stringify({ pid: other.pid, start: '1', boot, nonce: 'before-reboot' }));
    const run = cli(['--config', configPath]);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /another hourly run is active/);
    assert.match(run.stderr, /took over stale lock .*hourly\.lock \(pid \d+\): its pid now belongs to another process/);
    const alerts = (await readIngestAlerts(settings.paths.state)).events.filter((e) => e.kind === 'stale-lock');
    assert.deepEqual(alerts.map((e) => e.path), [lockPath]);
    await assert.rejects(readFile(lockPath), /ENOENT/, 'the run released the lock it took over');
  });

  it('the hourly command refuses bad options and server 2 settings with exit code 2 and the fix', async () => {
    const root = await tempDir();
    const { configPath } = await testSettings(root);
    const server2 = await testSettings(await tempDir(), { server: 'server2' });
    const onServer2 = cli(['--config', server2.configPath]);
    assert.equal(onServer2.status, 2);
    assert.match(onServer2.stderr, /'server' must be "server1" to run hourly/);
    const cases: Array<[string[], RegExp]> = [
      [['--include-late'], /--include-late needs --hour/],
      [['--hour', '2026-11-22 10'], /write a UTC hour as YYYY-MM-DDTHH/],
      [['--now', 'yesterday'], /--now must be an ISO 8601 time/],
    ];
    for (const [args, message] of cases) {
      const run = cli(['--config', configPath, ...args]);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
  const corruptSyncStates: Array<[string, string]> = [
    ['truncated', '{"format_version": 1, "server": "server2", "sen'],
    ['garbage', '\u0000\u0000\u0000'],
    ['a `sent` that is not an object', JSON.stringify({ format_version: 1, server: 'server2', complete_until: null, gaps: [], backlog: { files: 0, bytes: 0, oldest_minute: null }, sent: [], updated_at: '2026-11-22T11:00:00.000Z' })],
  ];
  for (const [name, text] of corruptSyncStates) {
    it(`a ${name} server2/.state/sync-state.json does not fail hourly: set aside with an alert, server 2 data waits as without it`, async () => {
      const { settings } = await testSettings(await tempDir());
      const { spool, state } = settings.paths;
      await writeTweets(settings, 1, 3, 1);
      const createdAt = '2026-11-22T10:02:00.000Z';
      const fromServer2 = await writeSpoolFile(spool, 'server2', Date.parse('2026-11-22T10:02:00Z'), [
        tweetLine({ id: snowflakeId(Date.parse(createdAt), 9), createdAt }, createdAt, 'server2'),
      ]);
      await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z' });
      await mkdir(join(spool, 'server2', '.state'), { recursive: true });
      await writeFile(syncStatePath(spool), text);
      const deps = { settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() };
      const first = await runHourly(deps);
      assert.deepEqual({ files: first.ingest?.files, deferred: first.ingest?.deferred }, { files: 1, deferred: 1 }, 'server 1 ingested, server 2 waits');
      const setAside = (await readdir(join(spool, 'server2', '.state'))).filter((n) => n.startsWith('sync-state.json.corrupt-'));
      assert.equal(setAside.length, 1);
      const alert = (await readIngestAlerts(state)).events.find((e) => e.kind === 'corrupt-state-file');
      assert.ok(alert?.path.endsWith(setAside[0]!), 'the alert names where the bytes went');
      // The next push of server 2 brings a good state: its file is verified and ingested.
      await writeSyncStateJson(spool, '2026-11-22T11:06:00.000Z', [fromServer2]);
      const second = await runHourly({ ...deps, clock: fixedClock(Date.parse('2026-11-22T11:07:00Z')) });
      assert.deepEqual({ files: second.ingest?.files, unverified: second.ingest?.unverified }, { files: 1, unverified: 0 });
    });
  }
});
