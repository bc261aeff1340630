import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../src/cli/main.js';
import { testSettings } from './helpers/settings.js';
import { fillToEnospc, mountSmallTmpfs } from './helpers/small-fs.js';

async function watch(configPath: string): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await main(['watch', '--config', configPath, '--now', '2026-11-22T10:00:00Z'], {
    stdout: new PassThrough(),
    stderr,
    env: { SAMPLED_STREAM_ALLOW_ROOT: '1', LOG_LEVEL: 'silent' },
  });
  return { code, stderr: text };
}

test('watch on a full state filesystem fails with one line naming the file to free space for, leaves nothing behind, and alerts once space returns', async () => {
  // Every folder on one small filesystem, as on a server with a single data disk.
  const root = await mountSmallTmpfs(4);
  const { configPath, settings } = await testSettings(root, { hourly: { expect_server2: false } });
  const filler = join(root, 'filler');
  await fillToEnospc(filler);

  const full = await watch(configPath);
  assert.equal(full.code, 1);
  const lines = full.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, full.stderr);
  assert.match(lines[0]!, new RegExp(`^sampled-stream watch failed: ENOSPC: .*; fix: free space on the file system holding ${settings.paths.state}/`));
  assert.deepEqual(await readdir(settings.paths.state), [], 'no lock, temporary or half-written file is left');

  await rm(filler);
  assert.equal((await watch(configPath)).code, 0);
  const saved = JSON.parse(await readFile(join(settings.paths.state, 'alerts.json'), 'utf8')) as { open: Record<string, unknown> };
  assert.ok('disk-low' in saved.open, 'a 4 MB filesystem is below alerts.min_free_gb');
});
