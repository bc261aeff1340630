import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { writeJsonAtomic } from '../src/platform/atomic-write.js';
import { acquireLock } from '../src/platform/lock-file.js';
import { readSyncState } from '../src/contracts/index.js';
import { server2Setup, startSshd, writeSpoolFile, writeStreamJson, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

const execFileAsync = promisify(execFile);
const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

/** Runs `sampled-stream <args>` from source as a child process; returns its exit code and output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('sampled-stream sync (command)', () => {
  let sshd: TestSshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(() => sshd?.stop());

  it('pushes the spool over SFTP and exits 0, logging JSON on stderr (not a terminal)', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    await writeStreamJson(env.settings.paths.state, '2026-11-22T06:05:00.000Z');
    const rel = await writeSpoolFile(env.settings.paths.spool, '2026-11-22T06:04:00Z', 20);
    const { code, stdout, stderr } = await cli(['sync', '--config', env.setup.configPath]);
    assert.equal(code, 0);
    assert.equal(stdout, '');
    const finished = stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'sync finished');
    assert.equal(finished?.files, 1);
    assert.equal(finished?.stage, 'sync');
    assert.deepEqual(await readdir(join(env.target, 'server2/2026-11-22/06')), [rel.split('/').pop()]);
    assert.equal((await readSyncState(env.target))?.complete_until, '2026-11-22T06:05:00.000Z');
  });

  it('exits 0 without doing anything while another run holds the lock', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    await writeSpoolFile(env.settings.paths.spool, '2026-11-22T06:04:00Z', 20);
    const lock = await acquireLock(join(env.settings.paths.state, 'sync.lock'));
    try {
      const { code, stderr } = await cli(['sync', '--config', env.setup.configPath]);
      assert.equal(code, 0);
      assert.match(stderr, /"msg":"sync already running"/);
    } finally {
      await lock.release();
    }
    assert.deepEqual(await readdir(env.target), []);
  });

  it('exits 1 with the reason when a run fails', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    const { code, stderr } = await cli(['sync', '--config', env.setup.configPath, '--resend', '2026-11-22T06-04']);
    assert.equal(code, 1);
    assert.match(stderr, /Cannot resend minute 2026-11-22T06-04Z: no kept copy/);
  });

  it('exits 2 on a malformed --resend minute, on server1 and on incomplete sync settings', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    const bad = await cli(['sync', '--config', env.setup.configPath, '--resend', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--resend: Cannot resend "yesterday": expected a UTC minute like 2026-11-22T06-27/);

    const server1 = join(env.setup.root, 'server1.json');
    await writeJsonAtomic(server1, { ...env.setup.doc, server: 'server1' });
    const wrongRole = await cli(['sync', '--config', server1]);
    assert.equal(wrongRole.code, 2);
    assert.match(wrongRole.stderr, /Cannot run sync on server1/);

    const incomplete = join(env.setup.root, 'incomplete.json');
    await writeJsonAtomic(incomplete, { ...env.setup.doc, sync: { transport: 'sftp', host: '127.0.0.1' } });
    const missing = await cli(['sync', '--config', incomplete]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'sync\.known_hosts_file' is missing/);
  });
});
