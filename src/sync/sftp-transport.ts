import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import type { ConnectConfig, ServerHostKeyAlgorithm, SFTPWrapper } from 'ssh2';
import type { Logger } from '../platform/logger.js';
import { readSecretFile } from '../platform/secret-file.js';
import { HostKeyMismatchError } from './host-key-mismatch-error.js';
import {
  hostKeyAlgorithmsFor,
  parseKnownHosts,
  pinnedKeysFor,
  verifyHostKey,
  type HostKeyVerdict,
} from './known-hosts.js';
import { TargetExistsError, type Transport } from './transport.js';
import { isNotFound } from '../platform/fs-errors.js';

/** Transfer and connection tuning; the defaults reach DESIGN 13's 1 GB in 15 s on loopback (bench/sync.ts). */
export interface SftpTuning {
  /** Parallel outstanding writes per file (fastPut). @default 32 */
  concurrency: number;
  /** Bytes per write request (fastPut). @default 131072 */
  chunkSize: number;
  /** Time allowed for connecting and the SSH handshake. @default 20000 */
  readyTimeoutMs: number;
  /** SSH keepalive interval; a dead peer fails pending operations after keepaliveCountMax misses. @default 10000 */
  keepaliveIntervalMs: number;
  /** @default 3 */
  keepaliveCountMax: number;
}

/**
 * 4 MiB in flight per file: on loopback 16-64 requests of 32-256 KiB all measured alike (bench/sync.ts), and
 * 4 MiB still fills a 1 Gbit/s link at 30 ms round trip without ssh2's 16 MiB buffer for 64 x 256 KiB.
 */
export const DEFAULT_SFTP_TUNING: Readonly<SftpTuning> = {
  concurrency: 32,
  chunkSize: 128 * 1024,
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
};

/** Where and how to connect: the `sync.*` settings, resolved. */
export interface SftpTransportOptions {
  host: string;
  port: number;
  username: string;
  /** `sync.private_key_file`: the only credential (no password, no agent). */
  privateKeyFile: string;
  /** `sync.known_hosts_file`: the server's host key must be pinned here. */
  knownHostsFile: string;
  /** `sync.remote_spool`: server 1's spool root, as the SFTP account sees it. */
  remoteRoot: string;
  log: Logger;
  tuning?: Partial<SftpTuning>;
}

async function readKnownHosts(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `Cannot read 'sync.known_hosts_file' (${path}): ${(err as NodeJS.ErrnoException).code ?? String(err)}: ` +
        "create it with 'ssh-keyscan -p PORT HOST > FILE' and check the fingerprint out of band",
      { cause: err },
    );
  }
}

function explainConnectError(err: unknown, options: SftpTransportOptions): Error {
  const message = (err as Error).message ?? String(err);
  const { host, port, username, privateKeyFile } = options;
  if (/authentication methods failed/i.test(message)) {
    return new Error(
      `Cannot log in to ${host}:${port} as '${username}': the server refused the key in 'sync.private_key_file' ` +
        `(${privateKeyFile}): add its public key to that account's authorized_keys on server 1`,
      { cause: err },
    );
  }
  if (/privateKey/.test(message)) {
    return new Error(
      `Cannot use 'sync.private_key_file' (${privateKeyFile}): ${message}: use an OpenSSH key without a passphrase`,
      { cause: err },
    );
  }
  return new Error(`Cannot connect to SFTP server ${host}:${port}: ${message}`, { cause: err });
}

/** Sends one raw SFTP request and settles with its answer. */
type RawRequest = <T = void>(send: (sftp: SFTPWrapper, done: (err: Error | null | undefined, value: T) => void) => void) => Promise<T>;

/**
 * Raw requests bound to one connection. ssh2 never answers a request sent on a closed channel, nor, after an
 * abrupt socket close, one already in flight: both reject here once the connection is gone, instead of hanging
 * the run.
 */
function rawRequests(client: SftpClient, sftp: SFTPWrapper, target: string): RawRequest {
  let lost: Error | undefined;
  const pending = new Set<(err: Error) => void>();
  const onLost = () => {
    lost ??= new Error(`Cannot reach ${target}: the SFTP connection is closed`);
    for (const fail of pending) fail(lost);
    pending.clear();
  };
  client.on('close', onLost);
  client.on('end', onLost);
  sftp.once('close', onLost).once('end', onLost);
  return <T>(send: (sftp: SFTPWrapper, done: (err: Error | null | undefined, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      if (lost) return reject(lost);
      const fail = (err: Error) => reject(err);
      pending.add(fail);
      const settle = (err: Error | null | undefined, value: T) => {
        pending.delete(fail);
        if (err) reject(err);
        else resolve(value);
      };
      try {
        send(sftp, settle);
      } catch (err) {
        settle(err as Error, undefined as T);
      }
    });
}

/** Opens a remote file, runs `use` on its handle, and closes it; the first error wins. */
async function withRemoteFile(request: RawRequest, path: string, flags: 'r+' | 'w', use: (handle: Buffer) => Promise<void>): Promise<void> {
  const handle = await request<Buffer>((sftp, done) => sftp.open(path, flags, { mode: 0o644 }, done));
  try {
    await use(handle);
  } catch (err) {
    await request((sftp, done) => sftp.close(handle, done)).catch(() => undefined);
    throw err;
  }
  await request((sftp, done) => sftp.close(handle, done));
}

const fsyncHandle = (request: RawRequest, handle: Buffer) => request((sftp, done) => sftp.ext_openssh_fsync(handle, done));

function fsyncRemote(request: RawRequest, path: string): Promise<void> {
  return withRemoteFile(request, path, 'r+', (handle) => fsyncHandle(request, handle));
}

/**
 * Writes a small file whole and fsyncs it. Not ssh2-sftp-client's put(): its write stream can lose a failed
 * write (a full disk) and resolve, leaving an empty file to be renamed into place.
 */
function writeRemoteFile(request: RawRequest, path: string, data: Uint8Array): Promise<void> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return withRemoteFile(request, path, 'w', async (handle) => {
    await request((sftp, done) => sftp.write(handle, buffer, 0, buffer.length, 0, done));
    await fsyncHandle(request, handle);
  });
}

/** statvfs@openssh.com's answer, the fields used (numbers, or bigints for huge filesystems). */
interface RemoteStatvfs {
  f_frsize: number | bigint;
  f_bavail: number | bigint;
}

/** Free bytes for the account on the remote filesystem holding `path`; null when the server cannot say. */
async function remoteFreeBytes(request: RawRequest, path: string): Promise<number | null> {
  try {
    const info = await request<RemoteStatvfs>((sftp, done) => sftp.ext_openssh_statvfs(path, done));
    return Number(info.f_bavail) * Number(info.f_frsize);
  } catch {
    // No answer, a closed connection, or thrown at once when the server does not offer the extension.
    return null;
  }
}

/**
 * Connects to server 1 over SFTP (DESIGN 5): key auth only, host key pinned against known_hosts (an unknown,
 * changed or revoked key is a HostKeyMismatchError), fastPut-pipelined uploads fsynced on the server
 * (fsync@openssh.com), renames that never replace (OpenSSH's SSH_FXP_RENAME) unless asked (posix-rename).
 */
export async function connectSftpTransport(options: SftpTransportOptions): Promise<Transport> {
  const { host, port, username, knownHostsFile, remoteRoot, log } = options;
  const tuning = { ...DEFAULT_SFTP_TUNING, ...options.tuning };
  const keys = pinnedKeysFor(parseKnownHosts(await readKnownHosts(knownHostsFile)), host, port);
  const privateKey = await readSecretFile('sync.private_key_file', options.privateKeyFile);
  const algorithms = hostKeyAlgorithmsFor(keys);
  let offered: { key: Buffer; verdict: HostKeyVerdict } | undefined;
  const client = new SftpClient('sync', {
    error: (err) => log.warn({ err }, 'sftp connection error'),
    end: () => log.debug('sftp connection ended'),
    close: () => log.debug('sftp connection closed'),
  });
  const config: ConnectConfig = {
    host,
    port,
    username,
    privateKey,
    authHandler: ['publickey'],
    tryKeyboard: false,
    readyTimeout: tuning.readyTimeoutMs,
    keepaliveInterval: tuning.keepaliveIntervalMs,
    keepaliveCountMax: tuning.keepaliveCountMax,
    hostVerifier: (key: Buffer) => {
      offered = { key, verdict: verifyHostKey(keys, key) };
      return offered.verdict === 'trusted';
    },
    ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms as ServerHostKeyAlgorithm[] } } : {}),
  };
  let sftp: SFTPWrapper;
  try {
    sftp = await client.connect(config);
  } catch (err) {
    await client.end().catch(() => undefined);
    if (offered && offered.verdict !== 'trusted') {
      throw new HostKeyMismatchError(
        { host, port, knownHostsFile, verdict: offered.verdict, offered: offered.key, pinned: keys.pinned },
        { cause: err },
      );
    }
    throw explainConnectError(err, options);
  }
  const target = `sftp://${username}@${host}:${port}${remoteRoot}`;
  const request = rawRequests(client, sftp, target);
  const at = (path: string) => posix.join(remoteRoot, path);
  const size = async (path: string): Promise<number | null> => {
    try {
      return (await client.stat(at(path))).size;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  };
  return {
    target,
    async mkdirp(dir) {
      await client.mkdir(at(dir), true);
    },
    async upload(localPath, path) {
      await client.fastPut(localPath, at(path), { concurrency: tuning.concurrency, chunkSize: tuning.chunkSize });
      await fsyncRemote(request, at(path));
    },
    size,
    async rename(from, to, { overwrite }) {
      if (overwrite) {
        await client.posixRename(at(from), at(to));
        return;
      }
      try {
        await client.rename(at(from), at(to));
      } catch (err) {
        if ((await size(to)) !== null) throw new TargetExistsError(target, to);
        throw err;
      }
    },
    async writeFile(path, data) {
      await writeRemoteFile(request, at(path), data);
    },
    async readFile(path) {
      if ((await client.exists(at(path))) === false) return null;
      return (await client.get(at(path))) as Buffer;
    },
    async list(dir) {
      if ((await client.exists(at(dir))) === false) return [];
      return (await client.list(at(dir))).map((entry) => entry.name);
    },
    freeBytes(dir) {
      return remoteFreeBytes(request, at(dir));
    },
    async remove(path) {
      await client.delete(at(path), true);
    },
    async close() {
      await client.end();
    },
  };
}
