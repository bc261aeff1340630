import assert from 'node:assert/strict';
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SftpClient from 'ssh2-sftp-client';
import { readSyncState } from '../src/contracts/index.js';
import { systemClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { runSync } from '../src/sync/index.js';
import { testSettings } from './helpers/settings.js';
import { sftpSyncSettings, startSshd, writeSpoolFile, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

// The README's sshd block jails server 2's account in server 1's spool: a stolen server 2 key reaches
// nothing else of server 1 (vault, state, settings). Sync must work with `sync.remote_spool: "/"` there.
describe('sync into a chrooted SFTP account (README, step 3)', () => {
  let sshd: TestSshd;
  let jail: string;

  before(async () => {
    // /run is root-owned and not world-writable, as sshd wants every parent of a ChrootDirectory to be.
    jail = await mkdtemp('/run/sampled-stream-chroot-');
    await chmod(jail, 0o755);
    await mkdir(join(jail, 'server2'), { mode: 0o755 });
    sshd = await startSshd({ chrootDirectory: jail });
  });

  after(async () => {
    await sshd?.stop();
    await rm(jail, { recursive: true, force: true });
  });

  it('delivers files and the sync state into the jail, and the account sees nothing outside it', async () => {
    // Inside the jail, `/` is server 1's spool.
    const { settings } = await testSettings(await tempDir(), { server: 'server2', sync: sftpSyncSettings(sshd, '/') });
    const rel = await writeSpoolFile(settings.paths.spool, '2026-11-22T06:00:00Z', 50);
    const original = await readFile(join(settings.paths.spool, rel));
    const result = await runSync({ settings, clock: systemClock, log: silentLogger() });
    assert.equal(result.sent, 1);
    assert.deepEqual(await readFile(join(jail, rel)), original, 'the file is in server 1 spool\'s server2 folder');
    assert.ok((await readSyncState(jail))?.sent[rel], 'server2/.state/sync-state.json lists it');

    const sftp = new SftpClient();
    await sftp.connect({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: await readFile(sshd.clientKeyFile) });
    try {
      assert.deepEqual((await sftp.list('/')).map((entry) => entry.name).sort(), ['server2'], '/ is the spool');
      // "../" stops at the jail's root: the write lands inside the spool, never beside it.
      await sftp.put(Buffer.from('escape\n'), '/../../escape.txt');
    } finally {
      await sftp.end();
    }
    await access(join(jail, 'escape.txt'));
    await assert.rejects(access(join(dirname(jail), 'escape.txt')), { code: 'ENOENT' });
    assert.deepEqual((await readdir(jail)).sort(), ['escape.txt', 'server2']);
  });
});
