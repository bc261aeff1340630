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

/** One SFTP request as a promise. */
function request<T = void>(send: (done: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => send((err, value) => (err ? reject(err) : resolve(value))));
}

/** Opens a remote file, runs `use` on its handle, and closes it; the first error wins. */
async function withRemoteFile(sftp: SFTPWrapper, path: string, flags: 'r+' | 'w', use: (handle: Buffer) => Promise<void>): Promise<void> {
  const handle = await request<Buffer>((done) => sftp.open(path, flags, { mode: 0o644 }, done));
  try {
    await use(handle);
  } catch (err) {
    await request((done) => sftp.close(handle, done)).catch(() => undefined);
    throw err;
  }
  await request((done) => sftp.close(handle, done));
}

const fsyncHandle = (sftp: SFTPWrapper, handle: Buffer) => request((done) => sftp.ext_openssh_fsync(handle, done));

function fsyncRemote(sftp: SFTPWrapper, path: string): Promise<void> {
  return withRemoteFile(sftp, path, 'r+', (handle) => fsyncHandle(sftp, handle));
}

/**
 * Writes a small file whole and fsyncs it. Not ssh2-sftp-client's put(): its write stream can lose a failed
 * write (a full disk) and resolve, leaving an empty file to be renamed into place.
 */
function writeRemoteFile(sftp: SFTPWrapper, path: string, data: Uint8Array): Promise<void> {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return withRemoteFile(sftp, path, 'w', async (handle) => {
    await request((done) => sftp.write(handle, buffer, 0, buffer.length, 0, done));
    await fsyncHandle(sftp, handle);
  });
}

/** statvfs@openssh.com's answer, the fields used (numbers, or bigints for huge filesystems). */
interface RemoteStatvfs {
  f_frsize: number | bigint;
  f_bavail: number | bigint;
}

/** Free bytes for the account on the remote filesystem holding `path`; null when the server cannot say. */
function remoteFreeBytes(sftp: SFTPWrapper, path: string): Promise<number | null> {
  return new Promise((resolve) => {
    try {
      sftp.ext_openssh_statvfs(path, (err, info: RemoteStatvfs) =>
        resolve(err ? null : Number(info.f_bavail) * Number(info.f_frsize)),
      );
    } catch {
      // Thrown at once when the server does not offer the extension.
      resolve(null);
    }
  });
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
  // ssh2 silently drops a request made on a closed channel and never answers it: refuse such a request instead.
  let channelOpen = true;
  sftp.once('end', () => (channelOpen = false)).once('close', () => (channelOpen = false));
  const openChannel = (): SFTPWrapper => {
    if (!channelOpen) throw new Error(`Cannot reach ${target}: the SFTP connection is closed`);
    return sftp;
  };
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
      await fsyncRemote(openChannel(), at(path));
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
      await writeRemoteFile(openChannel(), at(path), data);
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
      return channelOpen ? remoteFreeBytes(sftp, at(dir)) : Promise.resolve(null);
    },
    async remove(path) {
      await client.delete(at(path), true);
    },
    async close() {
      await client.end();
    },
  };
}
