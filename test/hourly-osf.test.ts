import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeOsf } from '../src/emulator/index.js';
import { readOutboxStatus } from '../src/osf/index.js';
import { runCli } from './helpers/run-cli.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';
import { tempDir } from './helpers/tmp.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('hourly uploads the IDs file, the day report and SHA256SUMS to OSF, and retries through the outbox', async () => {
  const osf = await startFakeOsf({ token: 'osf-secret' });
  after(() => osf.close());
  const root = await tempDir();
  const tokenFile = join(root, 'osf_token');
  await writeFile(tokenFile, 'osf-secret', { mode: 0o600 });
  const { settings, configPath } = await testSettings(root, {
    hourly: { first_hour: '2026-11-22T10', expect_server2: false },
    osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile },
  });
  const { spool, state, vault } = settings.paths;
  const lines = [0, 1, 2].map((seq) => {
    const createdAt = `2026-11-22T10:0${seq}:00.000Z`;
    return tweetLine({ id: snowflakeId(Date.parse(createdAt), seq), createdAt }, `2026-11-22T10:0${seq}:01.000Z`, 'server1');
  });
  await writeSpoolFile(spool, 'server1', '2026-11-22T10:02:00Z', lines);
  await writeStreamJson(state, { watermark: '2026-11-22T11:10:00.000Z', firstStartedAt: '2026-11-22T10:00:00.000Z' });

  osf.failNext(503, 3); // one per upload of this run
  const first = await runCli(['hourly', '--config', configPath, '--now', '2026-11-22T11:10:00Z']);
  assert.equal(first.code, 0, first.err);
  assert.equal(osf.files().size, 0);
  assert.equal((await readOutboxStatus(state)).pending.length, 3);

  const retry = await runCli(['upload', '--config', configPath]);
  assert.equal(retry.code, 0, retry.err + retry.out);
  const day = join(vault, '2026-11-22');
  for (const name of ['2026-11-22_10_IDs.txt.xz', '2026-11-22_report.txt', '2026-11-22_SHA256SUMS']) {
    const versions = osf.files().get(`/2026/11/22/${name}`);
    assert.ok(versions, `${name} on OSF: ${[...osf.files().keys()].join(', ')}`);
    assert.equal(versions.at(-1)!.sha256, sha256(await readFile(join(day, name))));
  }
  assert.equal((await readOutboxStatus(state)).pending.length, 0);
});
