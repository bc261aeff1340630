import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { systemClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { SecretFileModeError } from '../src/platform/secret-file.js';
import {
  connectSftpTransport,
  HostKeyMismatchError,
  runSync,
  type SftpTransportOptions,
} from '../src/sync/index.js';
import {
  readLocalSyncState,
  readSyncState,
} from '../src/contracts/index.js';
import { server2Setup, startSshd, writeSpoolFile, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

const run = promisify(execFile);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `ssh-keygen -lf` of a public key line: OpenSSH's own fingerprint, to compare ours with. */
async function opensshFingerprint(dir: string, publicKey: string): Promise<string> {
  const file = join(dir, `key-${Math.random().toString(16).slice(2)}.pub`);
  await writeFile(file, `${publicKey}\n`);
  const { stdout } = await run('ssh-keygen', ['-lf', file]);
  return stdout.split(' ')[1]!;
}

/** A TCP relay to sshd that can cut every connection once `cutAfterBytes` went from client to server. */
async function startCuttingProxy(targetPort: number, cutAfterBytes: number): Promise<{ port: number; cuts: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, cuts: 0, close: async () => {} };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > cutAfterBytes) {
        state.cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

const scratch = await tempDir();

describe('SFTP transport against OpenSSH sshd', () => {
  let sshd: TestSshd;
  let dual: TestSshd;
  before(async () => {
    [sshd, dual] = await Promise.all([startSshd(), startSshd({ hostKeyTypes: ['ed25519', 'rsa'] })]);
  });
  after(async () => {
    await Promise.all([sshd?.stop(), dual?.stop()]);
  });

  const options = (server: TestSshd, extra: Partial<SftpTransportOptions> = {}): SftpTransportOptions => ({
    host: server.host,
    port: server.port,
    username: server.username,
    privateKeyFile: server.clientKeyFile,
    knownHostsFile: server.knownHostsFile,
    remoteRoot: server.remoteRoot,
    log: silentLogger(),
    ...extra,
  });

  it('refuses an unknown host key, printing the offered fingerprint and how to pin it', async () => {
    const knownHostsFile = join(scratch, 'empty_known_hosts');
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port + 1} ${sshd.hostKeys.ed25519}\n`);
    const expected = await opensshFingerprint(scratch, sshd.hostKeys.ed25519!);
    await assert.rejects(connectSftpTransport(options(sshd, { knownHostsFile })), (err: unknown) => {
      assert.ok(err instanceof HostKeyMismatchError);
      assert.equal(err.problem.verdict, 'unknown');
      assert.equal(err.offeredFingerprint, expected);
      assert.ok(err.message.includes(`host key ssh-ed25519 ${expected}`), err.message);
      assert.ok(err.message.includes(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${knownHostsFile}`), err.message);
      assert.match(err.message, /out of band/);
      return true;
    });
  });

  it('refuses a changed host key, naming the pinned one and how to replace it', async () => {
    const knownHostsFile = join(scratch, 'stale_known_hosts');
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${dual.hostKeys.ed25519}\n`);
    const pinned = await opensshFingerprint(scratch, dual.hostKeys.ed25519!);
    await assert.rejects(connectSftpTransport(options(sshd, { knownHostsFile })), (err: unknown) => {
      assert.ok(err instanceof HostKeyMismatchError);
      assert.equal(err.problem.verdict, 'changed');
      assert.ok(err.message.includes(`pins ssh-ed25519 ${pinned} (line 1)`), err.message);
      assert.ok(err.message.includes(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f ${knownHostsFile}`), err.message);
      return true;
    });
  });

  it('accepts hashed known_hosts entries written by ssh-keyscan -H', async () => {
    const { stdout } = await run('ssh-keyscan', ['-H', '-t', 'ed25519', '-p', String(sshd.port), '127.0.0.1']);
    assert.match(stdout, /^\|1\|/);
    const knownHostsFile = join(scratch, 'hashed_known_hosts');
    await writeFile(knownHostsFile, stdout);
    const transport = await connectSftpTransport(options(sshd, { knownHostsFile }));
    await transport.close();
  });

  it('asks for the pinned key type when the server has several (only RSA pinned)', async () => {
    const knownHostsFile = join(scratch, 'rsa_known_hosts');
    await writeFile(knownHostsFile, `[127.0.0.1]:${dual.port} ${dual.hostKeys.rsa}\n`);
    const transport = await connectSftpTransport(options(dual, { knownHostsFile }));
    await transport.close();
  });

  it('logs in with the key only and explains a refused key', async () => {
    const otherKey = dual.clientKeyFile;
    await assert.rejects(connectSftpTransport(options(sshd, { privateKeyFile: otherKey })), (err: Error) => {
      assert.ok(err.message.includes(`refused the key in 'sync.private_key_file' (${otherKey})`), err.message);
      assert.match(err.message, /authorized_keys on server 1/);
      return true;
    });
  });

  it('refuses a private key file that group or others can read', async () => {
    const key = join(scratch, 'loose_key');
    await writeFile(key, await readFile(sshd.clientKeyFile));
    await chmod(key, 0o640);
    await assert.rejects(connectSftpTransport(options(sshd, { privateKeyFile: key })), SecretFileModeError);
  });

  it('runSync() leaves the spool untouched when the host key is wrong', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    const knownHostsFile = join(scratch, 'wrong_for_sync');
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${dual.hostKeys.ed25519}\n`);
    const settings = { ...env.settings, sync: { ...env.settings.sync, known_hosts_file: knownHostsFile } };
    const rel = await writeSpoolFile(settings.paths.spool, '2026-11-22T06:00:00Z', 10);
    await assert.rejects(runSync({ settings, clock: systemClock, log: silentLogger() }), HostKeyMismatchError);
    assert.deepEqual(await readdir(join(settings.paths.spool, 'server2/2026-11-22/06')), [rel.split('/').pop()]);
    const local = await readLocalSyncState(settings.paths.state);
    assert.equal(local?.last_run?.ok, false);
    assert.equal(local?.backlog.files, 1);
  });

  it('settles every request once the connection is cut, in flight or sent after the cut', async () => {
    const handshakeBytes = 16 * 1024;
    const proxy = await startCuttingProxy(sshd.port, handshakeBytes + 64 * 1024);
    try {
      const knownHostsFile = join(scratch, 'cut_known_hosts');
      await writeFile(knownHostsFile, `[127.0.0.1]:${proxy.port} ${sshd.hostKeys.ed25519}\n`);
      const transport = await connectSftpTransport(options(sshd, { port: proxy.port, knownHostsFile }));
      const local = join(scratch, 'cut-upload');
      await writeFile(local, Buffer.alloc(1024 * 1024, 7));
      const settled = async <T>(what: string, operation: Promise<T>) => {
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${what} never settled after the cut`)), 20_000);
        });
        try {
          return await Promise.race([operation.then((value) => ({ value }), (error: unknown) => ({ error })), hang]);
        } finally {
          clearTimeout(timer);
        }
      };
      const inFlight = await settled('writeFile in flight', transport.writeFile('cut.bin', Buffer.alloc(1024 * 1024, 1)));
      assert.ok('error' in inFlight, 'a write cut half way fails');
      assert.equal(proxy.cuts, 1);
      assert.ok('error' in (await settled('writeFile after the cut', transport.writeFile('after.bin', Buffer.from('x')))));
      assert.ok('error' in (await settled('upload after the cut', transport.upload(local, 'after-upload.bin'))));
      assert.deepEqual(await settled('freeBytes after the cut', transport.freeBytes('.')), { value: null });
      await settled('close after the cut', transport.close());
    } finally {
      await proxy.close();
    }
  });

  it('resumes after the connection is cut mid-upload, without loss or duplication', async () => {
    const env = await server2Setup(await tempDir(), sshd);
    const spool = env.settings.paths.spool;
    const rels = [];
    for (const minute of ['2026-11-22T06:00:00Z', '2026-11-22T06:01:00Z', '2026-11-22T06:02:00Z']) {
      rels.push(await writeSpoolFile(spool, minute, 4000));
    }
    const sizes = await Promise.all(rels.map(async (rel) => (await readFile(join(spool, rel))).length));
    const proxy = await startCuttingProxy(sshd.port, sizes[0]! + sizes[1]! / 2);
    try {
      const knownHostsFile = join(scratch, 'proxy_known_hosts');
      await writeFile(knownHostsFile, `[127.0.0.1]:${proxy.port} ${sshd.hostKeys.ed25519}\n`);
      const viaProxy = { ...env.settings, sync: { ...env.settings.sync, port: proxy.port, known_hosts_file: knownHostsFile } };
      await assert.rejects(runSync({ settings: viaProxy, clock: systemClock, log: silentLogger() }));
      assert.equal(proxy.cuts, 1);
    } finally {
      await proxy.close();
    }
    const hourDir = join(env.target, 'server2/2026-11-22/06');
    const names = rels.map((rel) => rel.split('/').pop()!);
    const arrived = (await readdir(hourDir)).filter((name) => !name.startsWith('.')).sort();
    assert.ok(arrived.length < names.length, 'the cut came before the last file');
    assert.deepEqual(arrived, names.slice(0, arrived.length), 'only whole files, oldest first, are in place');

    const result = await runSync({ settings: env.settings, clock: systemClock, log: silentLogger() });
    assert.equal(result.sent + result.alreadyDelivered, names.length - arrived.length);
    assert.deepEqual((await readdir(hourDir)).sort(), names, 'no temporary file is left');
    const pushed = await readSyncState(env.target);
    for (const rel of rels) {
      const remote = await readFile(join(env.target, rel));
      assert.equal(pushed?.sent[rel], sha256(remote));
      assert.equal(pushed?.sent[rel], sha256(await readFile(join(env.settings.paths.state, 'sent', rel))));
    }
  });
});
