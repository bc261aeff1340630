import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CRASH_AT_ENV } from '../src/cli/test-crash-hooks.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson, writeSyncStateJson } from './helpers/spool-writer.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const NOW = '2026-11-22T11:06:30Z';

function runCli(configPath: string, crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1', LOG_LEVEL: 'warn' };
  if (crashAt === undefined) delete env[CRASH_AT_ENV];
  else env[CRASH_AT_ENV] = crashAt;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'hourly', '--config', configPath, '--now', NOW], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** What a reader of the vault sees: decompressed .xz files and the other files, by name. */
async function vaultContent(vault: string): Promise<Record<string, string>> {
  const content: Record<string, string> = {};
  for (const day of await readdir(vault)) {
    for (const name of await readdir(join(vault, day))) {
      const path = join(vault, day, name);
      content[`${day}/${name}`] = name.endsWith('.xz') ? execFileSync('xz', ['-dc', path], { encoding: 'utf8' }) : await readFile(path, 'utf8');
    }
  }
  return content;
}

/** A spool of both servers with 300 tweets of hour 10 (and a few of hour 11), written once and copied per case. */
async function template(): Promise<string> {
  const root = await tempDir();
  const { settings } = await testSettings(root, { hourly: { xz_preset: 0, first_hour: '2026-11-22T10' } });
  const { spool, state } = settings.paths;
  const sent: string[] = [];
  for (const server of ['server1', 'server2']) {
    for (let minute = 0; minute < 62; minute += 4) {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++) {
        const createdMs = Date.parse('2026-11-22T10:00:00Z') + minute * 60_000 + i * 1000;
        // Server 2 misses every seventh tweet, server 1 every eleventh.
        if ((server === 'server2' && i % 7 === 3) || (server === 'server1' && i % 11 === 5)) continue;
        const createdAt = new Date(createdMs).toISOString();
        lines.push(tweetLine({ id: snowflakeId(createdMs, i), createdAt, text: `t${i} "q", ü😀` }, new Date(createdMs + 1500 + (server === 'server2' ? 7 : 0)).toISOString(), server));
      }
      const path = await writeSpoolFile(spool, server, Date.parse('2026-11-22T10:00:00Z') + minute * 60_000, lines);
      if (server === 'server2') sent.push(path);
    }
  }
  await writeSyncStateJson(spool, '2026-11-22T11:06:00.000Z', sent);
  await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z' });
  return root;
}

async function caseFrom(templateRoot: string): Promise<{ configPath: string; vault: string; root: string }> {
  const root = await tempDir();
  const { configPath, settings } = await testSettings(root, { hourly: { xz_preset: 0, first_hour: '2026-11-22T10' } });
  for (const dir of ['spool', 'state']) await cp(join(templateRoot, dir), join(root, dir), { recursive: true });
  return { configPath, vault: settings.paths.vault, root };
}

describe('hourly after kill -9 (DESIGN 3.4)', () => {
  it('hourly killed at any step and run again produces the same files as an uninterrupted run', async () => {
    const source = await template();
    const reference = await caseFrom(source);
    assert.equal((await runCli(reference.configPath)).code, 0);
    const expected = await vaultContent(reference.vault);
    assert.ok(expected['2026-11-22/2026-11-22_10_IDs.txt.xz']!.split('\n').length > 280);
    const steps = [
      'ingest-chunk-committed',
      'ingest-before-delete',
      'ingest-mid-delete',
      'publish-writing',
      'publish-files-written',
      'publish-before-rename',
      'publish-before-callback',
      'publish-before-manifest',
    ];
    await Promise.all(
      steps.map(async (step) => {
        const run = await caseFrom(source);
        const crashed = await runCli(run.configPath, step);
        assert.equal(crashed.signal, 'SIGKILL', `${step}: the run was killed there (${crashed.stderr})`);
        const again = await runCli(run.configPath);
        assert.equal(again.code, 0, `${step}: ${again.stderr}`);
        assert.deepEqual(await vaultContent(run.vault), expected, `${step}: same vault content`);
        const leftovers = (await readdir(join(run.vault, '2026-11-22'))).filter((name) => name.startsWith('.'));
        assert.deepEqual(leftovers, [], `${step}: no temporary file left in the vault`);
        // The users scratch file of a run killed while writing lies in staging's top folder.
        const staged = (await readdir(join(run.root, 'staging'))).filter((name) => name.endsWith('.tmp'));
        assert.deepEqual(staged, [], `${step}: no temporary file left in staging`);
        assert.deepEqual(await readdir(join(run.root, 'spool', 'server1', '2026-11-22', '10')), [], `${step}: spool ingested`);
      }),
    );
  });

  it('twenty kill -9s in a row, each at a fixed step and occurrence, then one clean run: byte-identical outputs', async () => {
    const source = await template();
    const reference = await caseFrom(source);
    assert.equal((await runCli(reference.configPath)).code, 0);
    const expected = await vaultContent(reference.vault);
    // Deterministic: the same input, the same order of steps and files, so every run reaches its kill point.
    // 32 spool files of one chunk each; a kill after deleting k of them leaves the rest to the next run.
    const chain = [
      'ingest-chunk-committed#1',
      'ingest-chunk-committed#7',
      'ingest-chunk-committed#31',
      'ingest-before-delete#1',
      'ingest-mid-delete#1',
      'ingest-chunk-committed#2',
      'ingest-mid-delete#3',
      'ingest-before-delete#1',
      'ingest-mid-delete#10',
      'ingest-chunk-committed#18',
      'ingest-mid-delete#17',
      'ingest-mid-delete#1',
      'publish-writing',
      'publish-files-written',
      'publish-before-rename',
      'publish-before-callback',
      'publish-before-manifest',
      'publish-writing',
      'publish-before-rename',
      'publish-before-manifest',
    ];
    assert.equal(chain.length, 20);
    const run = await caseFrom(source);
    for (const [i, point] of chain.entries()) {
      const crashed = await runCli(run.configPath, point);
      assert.equal(crashed.signal, 'SIGKILL', `kill ${i + 1} (${point}) was reached: ${crashed.stderr}`);
    }
    const again = await runCli(run.configPath);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await vaultContent(run.vault), expected, 'the same decompressed files, report and SHA256SUMS');
    assert.deepEqual((await readdir(join(run.vault, '2026-11-22'))).filter((name) => name.startsWith('.')), [], 'no temporary file left');
  });
});
