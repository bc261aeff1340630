import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { startFakeOsf, type FakeOsf } from '../src/emulator/osf-server.js';
import { enqueueUploads, readOutboxStatus } from '../src/osf/index.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';

const TOKEN = 'upload-command-token-0123456789';

async function upload(setup: TestSetup): Promise<{ code: number; out: string; err: string }> {
  const texts = { out: '', err: '' };
  const sink = (key: 'out' | 'err') =>
    new Writable({
      write(chunk, _enc, done) {
        texts[key] += chunk.toString();
        done();
      },
    });
  const code = await main(['upload', '--config', setup.configPath], {
    stdout: sink('out'),
    stderr: sink('err'),
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
  });
  return { code, ...texts };
}

describe('upload command', () => {
  let osf: FakeOsf;
  const servers: FakeOsf[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });

  async function setupWithOsf(): Promise<TestSetup> {
    osf = await startFakeOsf({ token: TOKEN });
    servers.push(osf);
    const root = await tempDir();
    const tokenFile = join(root, 'osf_token');
    await writeFile(tokenFile, TOKEN, { mode: 0o600 });
    const setup = await testSettings(root, {
      osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile },
    });
    const localPath = join(setup.settings.paths.vault, 'ids.txt.xz');
    await writeFile(localPath, 'ids');
    await enqueueUploads(setup.settings.paths.state, [{ localPath, remotePath: '2026/11/22/2026-11-22_06_IDs.txt.xz' }], Date.now());
    return setup;
  }

  it('says OSF is disabled and exits 0 when osf.enabled is false', async () => {
    const setup = await testSettings(await tempDir());
    const result = await upload(setup);
    assert.equal(result.out, 'OSF is disabled (osf.enabled)\n');
    assert.equal(result.code, 0);
  });

  it('drains the outbox, prints a summary and exits 0', async () => {
    const setup = await setupWithOsf();
    const result = await upload(setup);
    assert.equal(result.out, 'upload: 1 uploaded, 0 failed, 0 pending\n');
    assert.equal(result.code, 0);
    assert.equal(osf.files().has('/2026/11/22/2026-11-22_06_IDs.txt.xz'), true);
    assert.equal(result.err.includes(TOKEN), false);
  });

  it('exits 1 and keeps the entry when the upload fails', async () => {
    const setup = await setupWithOsf();
    osf.failNext(502, 10);
    const result = await upload(setup);
    assert.equal(result.out, 'upload: 0 uploaded, 1 failed, 1 pending\n');
    assert.equal(result.code, 1);
    assert.equal((await readOutboxStatus(setup.settings.paths.state)).failing.length, 1);
  });

  it('refuses a token file readable by others with exit code 2', async () => {
    const setup = await setupWithOsf();
    await chmod(setup.settings.osf.token_file!, 0o644);
    const result = await upload(setup);
    assert.equal(result.code, 2);
    assert.match(result.err, /osf\.token_file.*chmod 600/);
  });
});
