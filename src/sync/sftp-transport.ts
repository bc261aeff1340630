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

/** The SFTP connection went away while an operation needed it. */
class ConnectionLostError extends Error {
  constructor(target: string) {
    super(`Cannot reach ${target}: the SFTP connection is closed`);
    this.name = 'ConnectionLostError';
  }
}

/** Operations bound to one connection: each rejects once the connection is gone. */
interface ConnectionGuard {
  /** Runs an ssh2-sftp-client call. */
  guard<T>(operation: () => Promise<T>): Promise<T>;
  request: RawRequest;
}

/**
 * ssh2 never answers a request sent on a closed channel, nor, after an abrupt socket close, one already in
 * flight: here both reject once the connection is gone, instead of hanging the run.
 */
function connectionGuard(client: SftpClient, sftp: SFTPWrapper, target: string): ConnectionGuard {
  let lost: ConnectionLostError | undefined;
  const pending = new Set<(err: Error) => void>();
  const onLost = () => {
    lost ??= new ConnectionLostError(target);
    for (const fail of pending) fail(lost);
    pending.clear();
  };
  client.on('close', onLost);
  client.on('end', onLost);
  sftp.once('close', onLost).once('end', onLost);
  const guard = <T>(operation: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (lost) return reject(lost);
      pending.add(reject);
      operation()
        .then(resolve, reject)
        .finally(() => pending.delete(reject));
    });
  const request: RawRequest = (send) =>
    guard(() => new Promise((resolve, reject) => send(sftp, (err, value) => (err ? reject(err) : resolve(value)))));
  return { guard, request };
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
  const { guard, request } = connectionGuard(client, sftp, target);
  const at = (path: string) => posix.join(remoteRoot, path);
  const size = async (path: string): Promise<number | null> => {
    try {
      return (await guard(() => client.stat(at(path)))).size;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  };
  return {
    target,
    async mkdirp(dir) {
      await guard(() => client.mkdir(at(dir), true));
    },
    async upload(localPath, path) {
      const transfer = { concurrency: tuning.concurrency, chunkSize: tuning.chunkSize };
      await guard(() => client.fastPut(localPath, at(path), transfer));
      await fsyncRemote(request, at(path));
    },
    size,
    async rename(from, to, { overwrite }) {
      if (overwrite) {
        await guard(() => client.posixRename(at(from), at(to)));
        return;
      }
      try {
        await guard(() => client.rename(at(from), at(to)));
      } catch (err) {
        if ((await size(to)) !== null) throw new TargetExistsError(target, to);
        throw err;
      }
    },
    async writeFile(path, data) {
      await writeRemoteFile(request, at(path), data);
    },
    async readFile(path) {
      if ((await guard(() => client.exists(at(path)))) === false) return null;
      return (await guard(() => client.get(at(path)))) as Buffer;
    },
    async list(dir) {
      if ((await guard(() => client.exists(at(dir)))) === false) return [];
      return (await guard(() => client.list(at(dir)))).map((entry) => entry.name);
    },
    freeBytes(dir) {
      return remoteFreeBytes(request, at(dir));
    },
    async remove(path) {
      await guard(() => client.delete(at(path), true));
    },
    async close() {
      // After a lost connection ssh2-sftp-client's end() would wait for a close event that already came.
      await guard(() => client.end()).catch((err: unknown) => {
        if (!(err instanceof ConnectionLostError)) throw err;
      });
    },
  };
}
