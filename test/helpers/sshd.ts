import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Settings } from '../../src/config/index.js';
import { writeJsonAtomic } from '../../src/platform/atomic-write.js';
import { minutePath, type ConnectionGap, type StreamState } from '../../src/contracts/index.js';
import { testSettings, type TestSetup } from './settings.js';

const SSHD = '/usr/sbin/sshd';
const run = promisify(execFile);

/** Host key types sshd can be started with. */
export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/** A real OpenSSH sshd on loopback, for the SFTP transport's tests and bench/sync.ts. */
export interface TestSshd {
  host: string;
  port: number;
  /** The current user: sshd runs as it and lets it in with the generated client key only. */
  username: string;
  /** Client private key (0600), for `sync.private_key_file`. */
  clientKeyFile: string;
  /** `[127.0.0.1]:port <type> <key>` lines for every host key, for `sync.known_hosts_file`. */
  knownHostsFile: string;
  /** Public host key lines (`<type> <base64>`), one per host key type. */
  hostKeys: Record<HostKeyType, string | undefined>;
  /** A fresh folder to use as server 1's spool (`sync.remote_spool`). */
  remoteRoot: string;
  /** Stops sshd (and its sessions) and removes its folder. */
  stop(): Promise<void>;
}

/** Options of startSshd(). */
export interface TestSshdOptions {
  /** @default ['ed25519'] */
  hostKeyTypes?: HostKeyType[];
  /**
   * Jail the SFTP login in this folder, as the README's sshd block does (ChrootDirectory + internal-sftp only).
   * sshd chroots only when started as root, and wants the folder and every parent root-owned and not writable
   * by group or others (so not under /tmp).
   */
  chrootDirectory?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the port answers with an SSH banner; rejects if sshd exits first. */
async function waitForBanner(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}: ${stderr()}`);
    const banner = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1').startsWith('SSH-2.0-'));
      });
      socket.once('error', () => resolve(false));
    });
    if (banner) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within 10 s: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `/usr/sbin/sshd -D -e -f <temp config>` on a free loopback port with generated host keys, a
 * generated client key as the only authorized key, `internal-sftp`, no passwords and no PAM.
 */
export async function startSshd(options: TestSshdOptions = {}): Promise<TestSshd> {
  const { hostKeyTypes = ['ed25519'], chrootDirectory } = options;
  if (chrootDirectory !== undefined && process.getuid?.() !== 0) {
    throw new Error('Cannot start the chrooted test SSH server: sshd chroots only when started as root; run npm test as root');
  }
  try {
    await access(SSHD);
  } catch {
    throw new Error(`Cannot start the test SSH server: ${SSHD} is missing: install it with 'apt-get install -y openssh-server'`);
  }
  // sshd started as root insists on its privilege separation folder, which the Debian package creates at boot.
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'sampled-stream-sshd-'));
  await chmod(dir, 0o755);
  const keygen = (file: string, type: HostKeyType) =>
    run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', 'test', '-f', file]);
  const hostKeys: Record<HostKeyType, string | undefined> = { ed25519: undefined, ecdsa: undefined, rsa: undefined };
  for (const type of hostKeyTypes) {
    await keygen(join(dir, `host_${type}`), type);
    hostKeys[type] = (await readFile(join(dir, `host_${type}.pub`), 'utf8')).split(' ').slice(0, 2).join(' ');
  }
  const clientKeyFile = join(dir, 'client_ed25519');
  await keygen(clientKeyFile, 'ed25519');
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${clientKeyFile}.pub`));
  const remoteRoot = join(dir, 'remote-spool');
  await mkdir(remoteRoot);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...hostKeyTypes.map((type) => `HostKey ${join(dir, `host_${type}`)}`),
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      ...(chrootDirectory === undefined ? [] : [`ChrootDirectory ${chrootDirectory}`, 'ForceCommand internal-sftp']),
      `PidFile ${join(dir, 'sshd.pid')}`,
      'LogLevel ERROR',
    ];
    await writeFile(join(dir, 'sshd_config'), config.join('\n') + '\n');
    const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    try {
      await waitForBanner(port, child, () => stderr);
    } catch (err) {
      await stopProcess(child);
      // Another process may have taken the port between freePort() and sshd's bind.
      if (attempt < 3 && /Bind to port|Address already in use/.test(stderr)) continue;
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const knownHostsFile = join(dir, 'known_hosts');
    const lines = Object.values(hostKeys).filter((k) => k !== undefined).map((key) => `[127.0.0.1]:${port} ${key}\n`);
    await writeFile(knownHostsFile, lines.join(''));
    return {
      host: '127.0.0.1',
      port,
      username: userInfo().username,
      clientKeyFile,
      knownHostsFile,
      hostKeys,
      remoteRoot,
      async stop() {
        await stopProcess(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}

/** A server 2 set up to sync into `target` (server 1's spool) through `local` or the given sshd. */
export interface Server2Setup {
  setup: TestSetup;
  settings: Settings;
  /** Server 1's spool as a local folder: where synced files land. */
  target: string;
}

/** Server 2's `sync` settings pushing to `remoteSpool` (server 1's spool as the SFTP account sees it) on sshd. */
export function sftpSyncSettings(sshd: TestSshd, remoteSpool: string): Record<string, unknown> {
  return {
    transport: 'sftp',
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    private_key_file: sshd.clientKeyFile,
    known_hosts_file: sshd.knownHostsFile,
    remote_spool: remoteSpool,
  };
}

/** Server-2 settings under `root` syncing to a fresh `target` folder: `local_target`, or sshd's `remote_spool`. */
export async function server2Setup(root: string, sshd?: TestSshd): Promise<Server2Setup> {
  const target = sshd ? await mkdtemp(join(sshd.remoteRoot, 'spool-')) : join(root, 'server1-spool');
  await mkdir(target, { recursive: true });
  const sync = sshd ? sftpSyncSettings(sshd, target) : { transport: 'local', local_target: target };
  const setup = await testSettings(root, { server: 'server2', sync });
  return { setup, settings: setup.settings, target };
}

/** Writes a closed spool file of server 2 with `lines` realistic JSONL lines; returns its spool-relative path. */
export async function writeSpoolFile(spool: string, minuteIso: string, lines: number, segment = 0): Promise<string> {
  const minuteMs = Date.parse(minuteIso);
  const path = minutePath(spool, 'server2', minuteMs, segment);
  await mkdir(dirname(path), { recursive: true });
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) {
    const id = `${1_860_000_000_000_000_000n + BigInt(minuteMs) * 1000n + BigInt(i * 7 + segment)}`;
    const retrievedAt = new Date(minuteMs + i).toISOString();
    rows.push(
      JSON.stringify({
        data: { id, author_id: '12345', created_at: retrievedAt, lang: 'en', text: `tweet ${i} ✓ "quoted", comma` },
        includes: { users: [{ id: '12345', username: 'someone', name: 'Some One' }] },
        __meta: { retrieved_at: retrievedAt, server: 'server2' },
      }) + '\n',
    );
  }
  await writeFile(path, rows.join(''));
  return relative(spool, path);
}

/** Writes server 2's `<state>/stream.json` with the given watermark and gaps. */
export async function writeStreamJson(stateDir: string, watermarkIso: string, gaps: ConnectionGap[] = []): Promise<void> {
  const state: StreamState = {
    format_version: 1,
    server: 'server2',
    first_started_at: '2026-11-22T00:00:00.000Z',
    started_at: '2026-11-22T00:00:00.000Z',
    updated_at: watermarkIso,
    connected: true,
    last_message_at: watermarkIso,
    watermark: watermarkIso,
    counters: { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    gaps,
    segments: {},
    auth: { state: 'ok' },
  };
  await writeJsonAtomic(join(stateDir, 'stream.json'), state);
}
