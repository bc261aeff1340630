import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../src/platform/logger.js';
import { connectSftpTransport, createLocalTransport, TargetExistsError, type Transport } from '../src/sync/index.js';
import { startSshd, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

/** One suite every Transport must pass (STYLE 8): run against `local` and `sftp` on loopback. */
function conformance(name: string, open: () => Promise<Transport>): void {
  describe(`Transport conformance: ${name}`, () => {
    let transport: Transport;
    before(async () => {
      transport = await open();
    });
    after(() => transport.close());

    async function localFile(content: Buffer): Promise<string> {
      const path = join(local, `f-${randomBytes(4).toString('hex')}`);
      await writeFile(path, content);
      return path;
    }

    it('mkdirp() creates nested folders and accepts existing ones', async () => {
      await transport.mkdirp('a/b/c');
      await transport.mkdirp('a/b/c');
      assert.deepEqual(await transport.list('a/b'), ['c']);
    });

    it('upload() delivers every byte of a multi-chunk file, replacing an earlier partial upload', async () => {
      const content = randomBytes(3 * 1024 * 1024 + 17);
      await transport.mkdirp('up');
      await transport.writeFile('up/.f.tmp', Buffer.from('partial leftover of a cut transfer, longer than nothing'));
      await transport.upload(await localFile(content), 'up/.f.tmp');
      assert.equal(await transport.size('up/.f.tmp'), content.length);
      assert.ok(content.equals((await transport.readFile('up/.f.tmp'))!));
    });

    it('upload() of an empty file gives an empty file', async () => {
      await transport.mkdirp('empty');
      await transport.upload(await localFile(Buffer.alloc(0)), 'empty/.e.tmp');
      assert.equal(await transport.size('empty/.e.tmp'), 0);
    });

    it('size(), readFile() and list() report absence without throwing', async () => {
      assert.equal(await transport.size('nowhere/file'), null);
      assert.equal(await transport.readFile('nowhere/file'), null);
      assert.deepEqual(await transport.list('nowhere'), []);
    });

    it('rename() without overwrite moves a file into place', async () => {
      await transport.mkdirp('r1');
      await transport.writeFile('r1/.x.tmp', Buffer.from('x'));
      await transport.rename('r1/.x.tmp', 'r1/x', { overwrite: false });
      assert.deepEqual(await transport.list('r1'), ['x']);
      assert.equal((await transport.readFile('r1/x'))?.toString(), 'x');
    });

    it('rename() without overwrite never replaces: TargetExistsError, both files unchanged', async () => {
      await transport.mkdirp('r2');
      await transport.writeFile('r2/x', Buffer.from('old'));
      await transport.writeFile('r2/.x.tmp', Buffer.from('new'));
      await assert.rejects(transport.rename('r2/.x.tmp', 'r2/x', { overwrite: false }), (err: unknown) => {
        assert.ok(err instanceof TargetExistsError);
        assert.match(err.message, /r2\/x: the file exists and is never overwritten/);
        return true;
      });
      assert.equal((await transport.readFile('r2/x'))?.toString(), 'old');
      assert.equal((await transport.readFile('r2/.x.tmp'))?.toString(), 'new');
    });

    it('rename() with overwrite replaces the existing file', async () => {
      await transport.mkdirp('r3');
      await transport.writeFile('r3/x', Buffer.from('old'));
      await transport.writeFile('r3/.x.tmp', Buffer.from('new'));
      await transport.rename('r3/.x.tmp', 'r3/x', { overwrite: true });
      assert.deepEqual(await transport.list('r3'), ['x']);
      assert.equal((await transport.readFile('r3/x'))?.toString(), 'new');
    });

    it('freeBytes() reports the free space of the folder\'s filesystem', async () => {
      await transport.mkdirp('space');
      const free = await transport.freeBytes('space');
      assert.ok(free !== null && Number.isSafeInteger(free) && free > 0, String(free));
    });

    it('remove() deletes a file and ignores a missing one', async () => {
      await transport.mkdirp('rm');
      await transport.writeFile('rm/x', Buffer.from('x'));
      await transport.remove('rm/x');
      await transport.remove('rm/x');
      assert.deepEqual(await transport.list('rm'), []);
    });

    it('writeFile() and readFile() keep bytes as they are', async () => {
      const content = Buffer.from('{"emoji":"😀","cr":"\r"}\n', 'utf8');
      await transport.mkdirp('w');
      await transport.writeFile('w/state.json', content);
      assert.ok(content.equals((await transport.readFile('w/state.json'))!));
    });
  });
}

const local = await tempDir();
const localTarget = await tempDir();
let sshd: TestSshd | undefined;
after(() => sshd?.stop());

conformance('local', async () => createLocalTransport(localTarget));

conformance('sftp', async () => {
  sshd = await startSshd();
  return connectSftpTransport({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKeyFile: sshd.clientKeyFile,
    knownHostsFile: sshd.knownHostsFile,
    remoteRoot: sshd.remoteRoot,
    log: silentLogger(),
  });
});
