// bench:sync (DESIGN 13): 1 GB of spool over SFTP to a loopback sshd, target under 15 s, against the sftp CLI
// moving the same bytes in the same run. Usage: npm run bench:sync [-- --mb 1024]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { systemClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { MINUTE_MS, minutePath } from '../src/contracts/index.js';
import { runSync } from '../src/sync/index.js';
import { server2Setup, startSshd, type TestSshd } from '../test/helpers/sshd.js';
import { atMost, recordFigures } from './figures.js';

const run = promisify(execFile);
const TARGET_S = 15;
const FILE_MB = 17;

/** A stream message as the daemon writes it: about 1.5 KB with default fields, varied per line. */
function messageLine(id: bigint, receivedMs: number, n: number): string {
  const createdAt = new Date(receivedMs - 900).toISOString();
  const author = String(100_000_000 + (n % 50_000));
  return (
    JSON.stringify({
      data: {
        id: String(id),
        author_id: author,
        conversation_id: String(id - BigInt(n % 7)),
        created_at: createdAt,
        lang: ['en', 'ja', 'es', 'pt', 'ko'][n % 5],
        source: 'Twitter for Android',
        text: `RT @user${n % 997}: ${'ウェブ sample text, "quoted" & emoji 😀 '.repeat(2 + (n % 5))}#tag${n % 13}`,
        referenced_tweets: n % 3 === 0 ? [{ type: 'retweeted', id: String(id - 12_345n) }] : undefined,
        edit_history_tweet_ids: [String(id)],
      },
      includes: {
        users: [
          {
            id: author,
            username: `user_${author}`,
            name: `Someone ${n % 1000} ✓`,
            created_at: '2014-03-02T10:00:00.000Z',
            location: n % 4 === 0 ? 'Tokyo, Japan' : '',
            protected: false,
            verified: n % 50 === 0,
            public_metrics: { followers_count: n % 10_000, following_count: n % 777, tweet_count: n * 3, listed_count: n % 9 },
          },
        ],
      },
      __meta: { retrieved_at: new Date(receivedMs).toISOString(), server: 'server2' },
    }) + '\n'
  );
}

/** Writes `totalMb` of closed minute files of about 17 MB each into server 2's spool. */
async function generateSpool(spool: string, totalMb: number): Promise<{ files: number; bytes: number }> {
  const start = Date.parse('2026-11-22T05:00:00Z');
  let bytes = 0;
  let files = 0;
  let n = 0;
  while (bytes < totalMb * 1e6) {
    const minuteMs = start + files * MINUTE_MS;
    const chunks: string[] = [];
    let size = 0;
    while (size < FILE_MB * 1e6) {
      const line = messageLine(1_862_000_000_000_000_000n + BigInt(n) * 4096n, minuteMs + (n % 60_000), n);
      chunks.push(line);
      size += Buffer.byteLength(line);
      n++;
    }
    const path = minutePath(spool, 'server2', minuteMs);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, chunks.join(''));
    bytes += size;
    files++;
  }
  return { files, bytes };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The OpenSSH sftp client putting the same files into another folder: what a shell script would get. */
async function sftpCli(sshd: TestSshd, files: string[], remoteDir: string, batchFile: string): Promise<void> {
  await writeFile(batchFile, [`cd ${remoteDir}`, ...files.map((f) => `put ${f}`)].join('\n') + '\n');
  await run('sftp', [
    '-q', '-b', batchFile, '-i', sshd.clientKeyFile, '-P', String(sshd.port),
    '-o', `UserKnownHostsFile=${sshd.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
    `${sshd.username}@${sshd.host}`,
  ]);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const { values } = parseArgs({ options: { mb: { type: 'string', default: '1024' } } });
const totalMb = Number.parseInt(values.mb!, 10);
const root = await mkdtemp(join(tmpdir(), 'bench-sync-'));
const sshd = await startSshd();
try {
  const env = await server2Setup(root, sshd);
  const { files, bytes } = await generateSpool(env.settings.paths.spool, totalMb);
  const mb = bytes / 1e6;
  console.log(`spool: ${files} files, ${mb.toFixed(0)} MB of JSONL`);

  const spoolFiles = await listFiles(join(env.settings.paths.spool, 'server2'));
  const baselineDir = join(sshd.remoteRoot, 'baseline');
  await mkdir(baselineDir);
  const sftpSeconds = await timed(() => sftpCli(sshd, spoolFiles, baselineDir, join(root, 'batch')));
  const catSeconds = await timed(() => run('sh', ['-c', `cat "$@" > ${join(root, 'cat-copy')}`, 'sh', ...spoolFiles]));

  let sent = 0;
  const syncSeconds = await timed(async () => {
    sent = (await runSync({ settings: env.settings, clock: systemClock, log: silentLogger() })).sent;
  });
  const arrived = (await Promise.all((await listFiles(join(env.target, 'server2'))).filter((f) => !f.includes('/.')).map((f) => stat(f))))
    .reduce((sum, s) => sum + s.size, 0);
  if (sent !== files || arrived !== bytes) throw new Error(`sync delivered ${sent} files / ${arrived} bytes, expected ${files} / ${bytes}`);

  const line = (name: string, seconds: number) =>
    `${name.padEnd(34)} ${seconds.toFixed(2).padStart(6)} s  ${(mb / seconds).toFixed(0).padStart(5)} MB/s`;
  console.log(line('sampled-stream sync (SFTP, sha256)', syncSeconds));
  console.log(line('baseline: OpenSSH sftp put', sftpSeconds));
  console.log(line('baseline: cat to local file', catSeconds));
  const scaled = (syncSeconds * 1000) / mb;
  const ok = scaled < TARGET_S;
  console.log(`1 GB takes ${scaled.toFixed(2)} s (target < ${TARGET_S} s): ${ok ? 'PASS' : 'FAIL'}; ${(syncSeconds / sftpSeconds).toFixed(2)}x the sftp CLI`);
  await recordFigures([
    atMost({ bench: 'sync', figure: 'sync of 1 GB of spool over SFTP (loopback)', value: scaled, unit: 's', baseline: { label: 'OpenSSH sftp put, s per GB', value: (sftpSeconds * 1000) / mb } }, TARGET_S, true),
  ]);
  process.exitCode = ok ? 0 : 1;
} finally {
  await sshd.stop();
  await rm(root, { recursive: true, force: true });
}
